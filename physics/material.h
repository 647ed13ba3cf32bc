#ifndef NPP_MATERIAL_H
#define NPP_MATERIAL_H
#include <stddef.h>

#define NPP_NAME_LEN 64

/* Transport properties of the material filling one region. */
typedef struct {
  char   name[NPP_NAME_LEN]; /* region name, as in the mesh */
  double conductivity;       /* ionic conductivity sigma, S m^-1 */
} NppMaterial;

/* Returns 0 if the material is physically admissible, otherwise non-zero with a
   one-line message naming the property and its value. */
int NppMaterialCheck(const NppMaterial *m, char *msg, size_t len);

#endif
