#ifndef PORTMATRIX_CNETSNMPSHIM_H
#define PORTMATRIX_CNETSNMPSHIM_H
/// Placeholder until the SNMP bridge lands: net-snmp macros and variadics are wrapped here.
int pm_snmp_shim_version(void);
#endif
