/* SPDX-License-Identifier: BSD-2-Clause */
#include "xml.h"
#include <string.h>

PetscErrorCode NppXMLEscape(const char in[], char out[], size_t len)
{
  size_t n = 0;

  PetscFunctionBeginUser;
  for (const char *c = in; *c; c++) {
    const char *s      = NULL;
    char        one[2] = {*c, 0};
    switch (*c) {
    case '&':
      s = "&amp;";
      break;
    case '<':
      s = "&lt;";
      break;
    case '>':
      s = "&gt;";
      break;
    case '"':
      s = "&quot;";
      break;
    case '\'':
      s = "&apos;";
      break;
    default:
      s = one;
    }
    const size_t k = strlen(s);
    PetscCheck(n + k < len, PETSC_COMM_SELF, PETSC_ERR_ARG_SIZ, "XML text of '%s' longer than %d bytes", in, (int)len - 1);
    memcpy(out + n, s, k);
    n += k;
  }
  out[n] = 0;
  PetscFunctionReturn(0);
}
