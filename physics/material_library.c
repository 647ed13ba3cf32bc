#include "material_library.h"
#include <string.h>
#include <strings.h>

/* The phases of the seed papers (../shared/reference). Conductivities in S/m (1 mS/cm = 0.1 S/m).
   Papers: 000 Zhang et al., Adv. Energy Mater. 2025, doi:10.1002/aenm.202406003 (PEO-LiTFSI +
   Li6PS5Cl +- LiI); 001 Zheng et al., Chem. Mater. 2025, doi:10.1021/acs.chemmater.4c02117 (LLZTO
   skeleton + PEGDA gel); 002 Li et al., Adv. Energy Mater. 2024, doi:10.1002/aenm.202402746
   (PVDF-HFP + poly(DOL)-coated LLZTO); 003 Li et al., Adv. Funct. Mater. 2024,
   doi:10.1002/adfm.202315555 (Li5.7PS4.7Cl1.3 film on a PEVA scaffold, Li3N SEI); 004 Zhou et al.,
   Mater. Horiz. 2025, 12, 3201, doi:10.1039/d4mh01869a (review: wide-temperature polymer
   electrolytes; its Sec. 1 and Table 1 quote the primary papers).
   No seed paper measures an SEI conductivity: those are the middle of the literature ranges
   collected in the reference notes, and say so. */
#define T25 298.15
#define T60 333.15
#define NONE NPP_LAW_NONE
#define ARR  NPP_LAW_ARRHENIUS

static const NppMaterialPreset Presets[] = {
  /* SEI phases: single-ion Li+ conductors */
  {"lif", "LiF-rich SEI", NPP_PHASE_SINGLE_ION, 1e-7, T25, NONE, 0, 0, 0, 0, 0, 9.0, 0, 2.64,
   "reference notes (seeds-000-002, modelling implication 5): LiF 1e-13..1e-9 S/cm", "conductivity: upper end of the literature range (1e-9 S/cm); permittivity of crystalline LiF"},
  {"li3n", "Li3N-rich SEI", NPP_PHASE_SINGLE_ION, 0.1, T25, NONE, 0, 0, 0, 0, 0, 10.0, 0, 1.27,
   "003 Sec. 1: ~1e-3 S/cm (U. v. Alpen et al., J. Solid State Chem. 29 (1979) 379); 3 um layer, Fig. S14d", "permittivity"},
  {"lii", "LiI-rich SEI", NPP_PHASE_SINGLE_ION, 1e-5, T25, NONE, 0, 0, 0, 0, 0, 11.0, 0, 4.08,
   "reference notes: LiI ~1e-7 S/cm; LiI in the inner SEI of paper 000 (XPS, Fig. 5)", "conductivity: literature order of magnitude; permittivity"},
  {"li2s", "Li2S (reduced sulfide) SEI", NPP_PHASE_SINGLE_ION, 1e-9, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 1.66,
   "003 Sec. 2.1: Li2S forms where the film meets bare Li, 'electronically insulating but ionically conducting' (no number)", "conductivity: 1e-11 S/cm, middle of reported values"},
  {"li2o", "Li2O SEI", NPP_PHASE_SINGLE_ION, 3e-9, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 2.01,
   "reference notes: Li2O 1e-12..1e-9 S/cm; Li2O in the inner SEI of papers 000 and 002", "conductivity: middle of the literature range (3e-11 S/cm)"},
  {"li2co3", "Li2CO3 SEI", NPP_PHASE_SINGLE_ION, 3e-7, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 2.11,
   "reference notes: Li2CO3 1e-9..1e-8 S/cm; in the SEI of paper 002 and on LLZTO (001)", "conductivity: middle of the literature range (3e-9 S/cm)"},
  /* oxide, sulfide and halide conductors */
  {"llzto", "Li6.4La3Zr1.4Ta0.6O12 garnet (dense)", NPP_PHASE_SINGLE_ION, 0.026, T25, ARR, 0.33, 0, 0, 0, 0, 0, 0, 5.45,
   "001 Sec. 2.2, Fig. 3c: pure LLZTO 0.26 mS/cm at 25 C", "activation energy: middle of the 0.28-0.38 eV that paper 001 quotes from the literature; density"},
  {"lpscl", "Li5.7PS4.7Cl1.3 argyrodite", NPP_PHASE_SINGLE_ION, 0.48, T25, ARR, 0.28, 0, 0, 0, 0, 0, 1.6e-6, 1.64,
   "003 Sec. 2.1, Figs. S1c, S3, S4: 4.8 mS/cm, Ea 0.28 eV, electronic 1.6e-8 S/cm", "Arrhenius in sigma (the paper does not say which form it fitted); density"},
  {"lpscl_cl16", "Li5.4PS4.4Cl1.6 argyrodite", NPP_PHASE_SINGLE_ION, 0.81, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 1.64,
   "003 Fig. S1c: 8.1 mS/cm, the most conductive of the series (CCD only 0.4 mA/cm2, Fig. S2)", "density"},
  {"li6ps5cl", "Li6PS5Cl argyrodite (commercial powder)", NPP_PHASE_SINGLE_ION, 0.2, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 1.865,
   "paper 000 uses NEI Li6PS5Cl and gives no conductivity", "conductivity: 2 mS/cm, typical of commercial powders; density from a = 9.85 A, Z = 4 (reference notes)"},
  {"e_lpscl_film", "E-LPSCl film: Li5.7PS4.7Cl1.3 on the PEVA scaffold, homogenised (40 um)", NPP_PHASE_SINGLE_ION, 0.11, T25, ARR, 0.30, 0, 0, 0, 0, 0, 1e-7, 0,
   "003 Sec. 2.1, Fig. 2a-c: 1.1 mS/cm, Ea ~0.30 eV, electronic 1.0e-9 S/cm, ASR 3.63 Ohm cm2", "Arrhenius in sigma"},
  {"p_lpscl_film", "P-LPSCl film: Li5.7PS4.7Cl1.3 + 0.5 wt% PTFE, homogenised", NPP_PHASE_SINGLE_ION, 0.36, T25, NONE, 0, 0, 0, 0, 0, 0, 7.4e-7, 0,
   "003 Sec. 2.1, Figs. S6a, S8: 3.6 mS/cm, electronic 7.4e-9 S/cm pristine (7.1e-7 S/cm after 3 days on Li)", ""},
  {"lzc", "Li2ZrCl6 halide", NPP_PHASE_SINGLE_ION, 0.048, T25, ARR, 0.35, 0, 0, 0, 0, 0, 2.4e-7, 0,
   "003 Sec. 2.3, Fig. S19: 4.8e-4 S/cm, Ea 0.35 eV, electronic 2.4e-9 S/cm", "Arrhenius in sigma"},
  {"lzcf", "Li2ZrCl5F halide", NPP_PHASE_SINGLE_ION, 0.035, T25, ARR, 0.38, 0, 0, 0, 0, 0, 6.5e-8, 0,
   "003 Sec. 2.3, Fig. S19: 3.5e-4 S/cm, Ea 0.38 eV, electronic 6.5e-10 S/cm", "Arrhenius in sigma"},
  {"lgps", "Li10GeP2S12", NPP_PHASE_SINGLE_ION, 1.2, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 0, "004 Sec. 1: 1.2e-2 S/cm at RT", ""},
  {"li7p3s11", "Li7P3S11 glass-ceramic", NPP_PHASE_SINGLE_ION, 1.7, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 0, "004 Sec. 1: 1.7e-2 S/cm at RT", ""},
  {"lsipscl", "Li9.54Si1.74P1.44S11.7Cl0.3", NPP_PHASE_SINGLE_ION, 2.5, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 0, "004 Sec. 1: 2.5e-2 S/cm (bulk) at RT", ""},
  {"lyc", "Li3YCl6 halide", NPP_PHASE_SINGLE_ION, 0.051, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 0, "004 Sec. 1: 5.1e-4 S/cm at RT", ""},
  {"lyb", "Li3YBr6 halide", NPP_PHASE_SINGLE_ION, 0.17, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 0, "004 Sec. 1: 1.7e-3 S/cm at RT", ""},
  {"libc", "Li3InBr3Cl3 halide", NPP_PHASE_SINGLE_ION, 0.01, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 0, "004 Sec. 1: 1e-4 S/cm at RT", ""},
  /* polymer and gel electrolytes (salts), as measured on the whole film */
  {"phlp", "PVDF-HFP/LiTFSI with poly(DOL), no filler (PHLP)", NPP_PHASE_SALT, 0.0104, T25, ARR, 0.28, 0, 0, 0.14, 1000, 0, 0, 0,
   "002 Sec. 2, Fig. 1f, 1j: 0.104 mS/cm, t+ 0.14; Fig. 1g: Ea 'reduced from 0.28 to 0.16 eV'", "Ea 0.28 eV assigned to PHLP (the text does not say which sample); salt concentration (in the SI)"},
  {"phl15", "PVDF-HFP/LiTFSI + 15 wt% bare LLZTO (PHL-15), homogenised", NPP_PHASE_SALT, 0.0482, T25, NONE, 0, 0, 0, 0.43, 1000, 0, 0, 0,
   "002 Fig. 1f, 1j: 0.482 mS/cm, t+ 0.43", "salt concentration (in the SI)"},
  {"phlp15", "PVDF-HFP/LiTFSI + 15 wt% poly(DOL)-coated LLZTO (PHLP-15), homogenised", NPP_PHASE_SALT, 0.0817, T25, ARR, 0.16, 0, 0, 0.58, 1000, 0, 0, 0,
   "002 Fig. 1f, 1g, 1j: 0.817 mS/cm, Ea 0.16 eV, t+ 0.58", "salt concentration (in the SI)"},
  {"pedl_celgard", "PEGDA/EC-DMC/LiDFOB gel (PEDL) in a Celgard 2500 separator", NPP_PHASE_SALT, 0.049, T25, ARR, 0.22, 0, 0, 0, 2300, 0, 0, 0,
   "001 Sec. 2.2, Figs. S10-S12: 0.49 mS/cm in Celgard 2500, Ea 0.22 eV; 2.3 M LiDFOB (Sec. 4.1.2)", "t+ unknown (give it); the gel's own conductivity is higher than in the separator"},
  {"aiose_effective", "LLZTO skeleton + PEDL gel (AIOSE), homogenised", NPP_PHASE_SALT, 0.058, T25, ARR, 0.24, 0, 0, 0.66, 2300, 0, 0, 0,
   "001 Sec. 2.2, Fig. 3c, 3d, S12: 0.58 mS/cm, Ea 0.24 eV, t+ 0.66 (measured on the composite)", "for device-scale runs only: cases/llzto-skeleton computes these numbers from the phases"},
  {"peo_litfsi", "PEO-LiTFSI (EO:Li 13:1), amorphous (above its melting)", NPP_PHASE_SALT, 0.05, T60, ARR, 0.201, 0, 0, 0.2, 1470, 0, 0, 1.21,
   "000 Sec. 2.1: Ea 0.201 eV (high-temperature regime of the hybrid electrolytes, Fig. 4b); 1.47 M Li from the recipe (reference notes)",
   "conductivity 0.5 mS/cm at 60 C and t+ 0.2: typical literature values (paper 000 gives its conductivities only in figures); Ea of the hybrids taken for the polymer"},
  {"pha15", "PVDF-HFP/LiTFSI + 15 wt% bare LAGP (PHA-15), homogenised", NPP_PHASE_SALT, 0.0361, T25, NONE, 0, 0, 0, 0.35, 1000, 0, 0, 0,
   "002 Fig. 6a: 0.361 mS/cm, t+ 0.35 (Tafel i0 0.121 mA/cm2, Fig. 6c)", "salt concentration (in the SI)"},
  {"phap15", "PVDF-HFP/LiTFSI + 15 wt% poly(DOL)-coated LAGP (PHAP-15), homogenised", NPP_PHASE_SALT, 0.0698, T25, NONE, 0, 0, 0, 0.52, 1000, 0, 0, 0,
   "002 Fig. 6a: 0.698 mS/cm, t+ 0.52 (Tafel i0 0.166 mA/cm2, Fig. 6c)", "salt concentration (in the SI)"},
  /* single-point polymer composites of the review 004 (Table 1): conductivity at its temperature, t+ */
  {"peo_liclo4_tio2", "PEO/LiClO4 + TiO2", NPP_PHASE_SALT, 0.01, 313.15, NONE, 0, 0, 0, 0.47, 0, 0, 0, 0, "004 Table 1: ~1e-4 S/cm at 40 C, t+ 0.47", "salt concentration"},
  {"pan_litfsi_sio2", "PAN/LiTFSI + SiO2", NPP_PHASE_SALT, 0.0085, 303.15, NONE, 0, 0, 0, 0.47, 0, 0, 0, 0, "004 Table 1: 8.5e-5 S/cm at 30 C, t+ 0.47", "salt concentration"},
  {"pan_liclo4_al2o3", "PAN/LiClO4 + alpha-Al2O3", NPP_PHASE_SALT, 0.057, T25, NONE, 0, 0, 0, 0.33, 0, 0, 0, 0, "004 Table 1: 5.7e-4 S/cm at RT, t+ 0.33", "RT taken as 25 C; salt concentration"},
  {"pan_liclo4_llto", "PAN/LiClO4 + LLTO", NPP_PHASE_SALT, 0.00605, 303.15, NONE, 0, 0, 0, 0.42, 0, 0, 0, 0, "004 Table 1: 6.05e-5 S/cm at 30 C, t+ 0.42", "salt concentration"},
  {"peo_litfsi_gallzo", "PEO/LiTFSI + Ga-LLZO (16 vol%)", NPP_PHASE_SALT, 0.0072, 303.15, NONE, 0, 0, 0, 0.39, 0, 0, 0, 0, "004 Table 1: 7.2e-5 S/cm at 30 C, t+ 0.39", "salt concentration"},
  {"pvdf_lifsi_bto_llto", "PVDF/LiFSI + BTO-LLTO", NPP_PHASE_SALT, 0.082, T25, NONE, 0, 0, 0, 0.57, 0, 0, 0, 0, "004 Table 1: 8.2e-4 S/cm at 25 C, t+ 0.57", "salt concentration"},
  {"pvdfhfp_litfsi_llzto", "PVDF-HFP/LiTFSI + LLZTO", NPP_PHASE_SALT, 0.082, T60, NONE, 0, 0, 0, 0.26, 0, 0, 0, 0, "004 Table 1: 8.2e-4 S/cm at 60 C, t+ 0.26", "salt concentration"},
  {"pdol_litfsi_ysz", "poly(DOL)/LiTFSI + YSZ", NPP_PHASE_SALT, 0.0275, 293.15, NONE, 0, 0, 0, 0.65, 0, 0, 0, 0, "004 Table 1: 2.75e-4 S/cm at 20 C, t+ 0.65", "salt concentration"},
  {"pdol_litfsi_ps", "poly(DOL)/LiTFSI + PS", NPP_PHASE_SALT, 0.22, 303.15, NONE, 0, 0, 0, 0.88, 0, 0, 0, 0, "004 Table 1: 2.2e-3 S/cm at 30 C, t+ 0.88", "salt concentration"},
  {"pdoltxe_sn", "P(DOL-TXE)/LiTFSI-LiDFOB + SN", NPP_PHASE_SALT, 0.0406, T25, NONE, 0, 0, 0, 0.881, 0, 0, 0, 0, "004 Table 1: 4.06e-4 S/cm at RT, t+ 0.881", "RT taken as 25 C; salt concentration"},
  {"peo_llzo_wood", "PEO + aligned LLZO in wood-templated channels", NPP_PHASE_SALT, 0.018, T25, ARR, 0.26, 0, 0, 0, 0, 0, 0, 0,
   "004 (ref. 168): 1.8e-4 S/cm at 25 C, 1.1e-3 S/cm at 90 C", "Ea 0.26 eV: the apparent Arrhenius through the two points (reference notes); t+ unknown"},
  /* inert phases: not meshed */
  {"peva", "PEVA fibre scaffold (inert)", NPP_PHASE_INERT, 0, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 0.92,
   "003 Sec. 2.1: 7.5 wt% of the film, 0.91-0.93 g/cm3", "ion- and electron-blocking"},
  {"ptfe", "PTFE binder (inert)", NPP_PHASE_INERT, 0, T25, NONE, 0, 0, 0, 0, 0, 0, 0, 2.2,
   "003 Sec. 2.1: 0.2-2 wt% binder wrapping the LPSCl particles; reduced by Li to sp2 carbon (mixed conducting)", "density"},
};

#define NPRESETS ((int)(sizeof Presets / sizeof Presets[0]))

const NppMaterialPreset *NppMaterialPresetFind(const char *name)
{
  for (int k = 0; k < NPRESETS; k++)
    if (!strcasecmp(name, Presets[k].name)) return &Presets[k];
  return NULL;
}

int NppMaterialPresetCount(void) { return NPRESETS; }

const NppMaterialPreset *NppMaterialPresetGet(int k) { return k >= 0 && k < NPRESETS ? &Presets[k] : NULL; }

const char *NppMaterialPresetNames(void)
{
  static char names[2048];
  if (!names[0])
    for (int k = 0; k < NPRESETS; k++) {
      if (k) strncat(names, ", ", sizeof names - strlen(names) - 1);
      strncat(names, Presets[k].name, sizeof names - strlen(names) - 1);
    }
  return names;
}

int NppMaterialPresetApply(const NppMaterialPreset *p, NppMaterialInput *in)
{
  int nc = 0;
  if (p->kind == NPP_PHASE_INERT) return 1;
  for (int i = 0; i < NPP_MAX_SPECIES; i++) nc += in->has_c[i] && in->c[i] > 0;
  if (!in->has_conductivity && !in->has_any_D) in->conductivity = p->conductivity, in->has_conductivity = 1;
  if (!in->has_permittivity && p->permittivity > 0) in->permittivity = p->permittivity, in->has_permittivity = 1;
  if (!in->has_electronic) in->electronic_conductivity = p->electronic_conductivity, in->has_electronic = 1;
  if (p->kind == NPP_PHASE_SALT && nc == 2 && !in->has_transference && p->transference > 0) in->transference = p->transference, in->has_transference = 1;
  return 0;
}

NppTemperatureLaw NppMaterialPresetLaw(const NppMaterialPreset *p)
{
  NppTemperatureLaw law = {p->law, p->Tref, p->Ea, p->vtf_B, p->vtf_T0};
  return law;
}
