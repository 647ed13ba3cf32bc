/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef NPP_CONSTANTS_H
#define NPP_CONSTANTS_H
/* CODATA 2018 exact or recommended values, SI units. */
#define NPP_FARADAY   96485.33212      /* C mol^-1 */
#define NPP_GAS_CONST 8.314462618      /* J mol^-1 K^-1 */
#define NPP_EPS0      8.8541878128e-12 /* F m^-1 */
#endif
