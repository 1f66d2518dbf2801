// ProbeBench: runs one registered probe N times in-process, sequentially, and prints CPU and
// wall time per check, so `run.sh` can set them beside a fork+exec of a monitoring plugin.
//
//   ProbeBench PROBE HOST PORT [tcp|udp] [ITERATIONS] [starttls=POLICY] [name=DNS_NAME] [type=DNS_TYPE]
//              [verify=on|off] [ca=CA_FILE] [sni=SERVER_NAME]
import Foundation
import Logging
import NIOCore
import NIOPosix
import PortMatrixEngine
import PortMatrixModel

let arguments = CommandLine.arguments
guard arguments.count >= 4, let port = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: ProbeBench PROBE HOST PORT [tcp|udp] [ITERATIONS] [starttls=auto|required|off]\n".utf8))
    exit(2)
}
let transport = arguments.count > 4 ? Transport(rawValue: arguments[4]) ?? .tcp : .tcp
let iterations = arguments.count > 5 ? Int(arguments[5]) ?? 100 : 100
let options: ProbeOptions = {
    var options = ProbeOptions()
    for extra in arguments.dropFirst(6) {
        let value = String(extra.drop { $0 != "=" }.dropFirst())
        if extra.hasPrefix("starttls=") { options.starttls = ProbeOptions.StartTLS(rawValue: value) ?? .auto }
        if extra.hasPrefix("name=") { options.dnsQueryName = value }
        if extra.hasPrefix("type=") { options.dnsQueryType = value }
        if extra.hasPrefix("verify=") { options.verifyCertificate = value == "on" }
        if extra.hasPrefix("ca=") { options.caFile = value }
        if extra.hasPrefix("sni=") { options.serverName = value }
    }
    return options
}()
guard let probe = ProbeRegistry.standard.probe(named: arguments[1]) else {
    FileHandle.standardError.write(Data("no probe named \(arguments[1])\n".utf8))
    exit(2)
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

let context = ProbeContext(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: Logger(label: "probebench"))
@MainActor func check() async -> ProbeOutcome {
    let request = ProbeRequest(host: arguments[2], port: port, transport: transport, deadline: .now() + .seconds(5), options: options)
    return await probe.run(request, context: context)
}

// One warm-up check: TLS contexts, the thread pool and the resolver start on first use.
let first = await check()
var failures = first.status == .ok ? 0 : 1
let cpuStart = cpuSeconds()
let wallStart = Date()
for _ in 0..<iterations {
    let outcome = await check()
    if outcome.status != .ok { failures += 1 }
}
let cpu = (cpuSeconds() - cpuStart) / Double(iterations) * 1000
let wall = Date().timeIntervalSince(wallStart) / Double(iterations) * 1000
print("\(arguments[1]) " + String(format: "cpu_ms_per_check=%.3f wall_ms_per_check=%.3f", cpu, wall)
      + " iterations=\(iterations) failures=\(failures) last=\(first.message)")
