import Testing

/// Tests against the real net-snmp daemons and tools. Serialized: each one starts daemons,
/// and the machine is shared.
@Suite(.serialized) struct SNMPIntegrationTests {}
