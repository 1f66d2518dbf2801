#include <sys/types.h>
#include <sys/select.h>
#include <sys/time.h>
#include <stdio.h>
#include <netinet/in.h>
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include "CNetSNMPShim.h"

/* Defined in the agent library (agentx/subagent.c), declared in no installed header. */
extern netsnmp_session *main_session;

int pm_mode_get(void) { return MODE_GET; }
int pm_mode_getnext(void) { return MODE_GETNEXT; }
int pm_mode_getbulk(void) { return MODE_GETBULK; }

unsigned char pm_snmp_nosuchobject(void) { return SNMP_NOSUCHOBJECT; }
unsigned char pm_snmp_nosuchinstance(void) { return SNMP_NOSUCHINSTANCE; }
unsigned char pm_snmp_endofmibview(void) { return SNMP_ENDOFMIBVIEW; }

unsigned char pm_asn_integer(void) { return ASN_INTEGER; }
unsigned char pm_asn_octet_str(void) { return ASN_OCTET_STR; }
unsigned char pm_asn_object_id(void) { return ASN_OBJECT_ID; }
unsigned char pm_asn_gauge(void) { return ASN_GAUGE; }
unsigned char pm_asn_timeticks(void) { return ASN_TIMETICKS; }

int pm_handler_can_ronly(void) { return HANDLER_CAN_RONLY; }

void pm_snmp_log(int priority, const char *message) { snmp_log(priority, "%s\n", message); }

int pm_agentx_connected(void) { return main_session != NULL; }

extern void init_vacm_conf(void);
void pm_init_vacm_conf(void) { init_vacm_conf(); }

#include <sys/eventfd.h>
#include <unistd.h>
#include <stdint.h>

int pm_wakeup_create(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int pm_wakeup_signal(int fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof(one)) == sizeof(one) ? 0 : -1;
}

void pm_wakeup_drain(int fd) {
    uint64_t count;
    while (read(fd, &count, sizeof(count)) == sizeof(count)) {
    }
}
