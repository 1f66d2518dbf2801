#ifndef PORTMATRIX_CNETSNMPSHIM_H
#define PORTMATRIX_CNETSNMPSHIM_H

// What net-snmp exposes only as macros, variadic functions or undeclared globals.
// Deliberately free of net-snmp headers: they belong to the CNetSNMP module, and
// including them here too would declare everything twice in Swift.

#include <stddef.h>

// Request modes (MODE_GET, MODE_GETNEXT, MODE_GETBULK).
int pm_mode_get(void);
int pm_mode_getnext(void);
int pm_mode_getbulk(void);

// Exception values of a varbind (SNMP_NOSUCHOBJECT, ...).
unsigned char pm_snmp_nosuchobject(void);
unsigned char pm_snmp_nosuchinstance(void);
unsigned char pm_snmp_endofmibview(void);

// ASN.1 types, whose macros carry casts Swift does not import.
unsigned char pm_asn_integer(void);
unsigned char pm_asn_octet_str(void);
unsigned char pm_asn_object_id(void);
unsigned char pm_asn_gauge(void);
unsigned char pm_asn_timeticks(void);

// Read-only handler modes without GETBULK: the agent then converts GETBULK into GETNEXTs.
int pm_handler_can_ronly(void);

// snmp_log is variadic.
void pm_snmp_log(int priority, const char *message);

// Whether the AgentX subagent has a session to the master (main_session is not in the headers).
int pm_agentx_connected(void);

// init_vacm_conf (master mode: rocommunity/rouser/view tokens) is in no installed header.
void pm_init_vacm_conf(void);

// An eventfd that wakes the net-snmp loop (register_readfd): create, signal, drain.
int pm_wakeup_create(void);
int pm_wakeup_signal(int fd);
void pm_wakeup_drain(int fd);

#endif
