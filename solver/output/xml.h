/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <petscsys.h>

/* A name as XML text: & < > " ' become entities, so that a case, species or boundary name is
   safe both in an attribute value and in element text of the XDMF files. */
#define NPP_XML_ESCAPED_LEN(n) (6 * (n)) /* room for any n-byte name ("&quot;" is 6 bytes) */
PetscErrorCode NppXMLEscape(const char in[], char out[], size_t len);
