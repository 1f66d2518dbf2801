#include "CNetSNMPShim.h"
int pm_snmp_shim_version(void) { return 1; }
