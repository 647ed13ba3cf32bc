/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_SCHEDULE_H
#define NPP_SCHEDULE_H
/* Applied current schedules of a galvanostatic electrode (pure C).

   i(t) = (base + k_s step) (-1)^k_r,  k_s = segment of t in steps of step_time (0 in the first),
                                      k_r = segment of t in steps of reversal_time,
   piecewise constant and left-continuous: the value on (t_k, t_{k+1}] belongs to segment k, so a
   backward-Euler step ending exactly on a switch time uses the segment it integrated over.
   step_time = 0: no steps (constant magnitude); reversal_time = 0: no reversals.
   The critical-current-density protocol is step > 0 with step_time = one plating/stripping
   cycle and reversal_time = half of it. */

typedef struct {
  double base;          /* current density of the first segment, A m^-2 (Newman: anodic positive) */
  double step;          /* added at each step_time, A m^-2 */
  double step_time;     /* s; 0: none */
  double reversal_time; /* s; 0: none */
} NppCurrentSchedule;

/* The current density at time t >= 0. */
double NppCurrentScheduleValue(const NppCurrentSchedule *s, double t);

/* The first switch time strictly after t (beyond a relative tolerance), or INFINITY. */
double NppCurrentScheduleNextSwitch(const NppCurrentSchedule *s, double t);

#endif
