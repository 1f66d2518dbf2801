// A process that serves a snapshot from JSON, for PortMatrixSNMPTests: net-snmp state is
// process-global, so each test scenario runs its agent in a process of its own.
//
//   SNMPTestAgent CONFIGURATION.json SNAPSHOT.json
//
// stdin commands, one per line: `publish FILE` (answers `published`), `health` (answers the
// health as JSON), `quit`. EOF on stdin also quits. Prints `ready` once serving.
import Foundation
import Logging
import PortMatrixSNMP

TestAgentCommand.main()
