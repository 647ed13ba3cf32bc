/* SPDX-License-Identifier: BSD-2-Clause */
#include "schedule.h"
#include <math.h>

/* Segment index of t for period T (left-continuous: t in (kT, (k+1)T] is segment k, t = 0 is
   segment 0). Times within 1e-9 T of a switch count as on it, so that a step landing on a
   switch up to round-off stays in the segment it integrated over. */
static double Segment(double t, double T)
{
  const double k = ceil(t / T - 1e-9) - 1;
  return k < 0 ? 0 : k;
}

double NppCurrentScheduleValue(const NppCurrentSchedule *s, double t)
{
  double i = s->base;
  if (s->step_time > 0) i += Segment(t, s->step_time) * s->step;
  if (s->reversal_time > 0 && fmod(Segment(t, s->reversal_time), 2.0) == 1.0) i = -i;
  return i;
}

/* The switch after t: the end of t's segment, or the one after if t sits on that end. */
static double Next(double t, double T)
{
  double next = (Segment(t, T) + 1) * T;
  if (next - t <= 1e-9 * T) next += T;
  return next;
}

double NppCurrentScheduleNextSwitch(const NppCurrentSchedule *s, double t)
{
  double next = INFINITY;
  if (s->step_time > 0) next = fmin(next, Next(t, s->step_time));
  if (s->reversal_time > 0) next = fmin(next, Next(t, s->reversal_time));
  return next;
}
