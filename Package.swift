// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "portmatrix",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "portmatrix", targets: ["portmatrix"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // The configuration reader every component's settings use: YAML with file, line and
        // column on each value, collected errors, durations, addresses, did-you-mean.
        .target(
            name: "PortMatrixConfiguration",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The port matrix, the site configuration and the plan: pure data, no I/O beyond reading files.
        .target(
            name: "PortMatrixModel",
            dependencies: ["PortMatrixConfiguration"],
            // The profiles and the default configuration are compiled in (EmbedResources): no
            // resource bundle to install beside the binary, no Bundle lookup at run time.
            exclude: ["Resources"],
            plugins: ["EmbedResources"]
        ),
        // Writes the Resources files of a target as Swift string constants (build time only).
        .executableTarget(name: "ResourceEmbedder"),
        .plugin(name: "EmbedResources", capability: .buildTool(), dependencies: ["ResourceEmbedder"]),
        // Swift tasks on NIO event loops, for the probes and the NRPE listener.
        .target(name: "PortMatrixEventLoops", dependencies: [.product(name: "NIOCore", package: "swift-nio")]),
        // Probes, scheduling, listener compliance and the result store.
        .target(
            name: "PortMatrixEngine",
            dependencies: [
                "PortMatrixModel", "PortMatrixEventLoops",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Renders engine snapshots: Nagios plugin output, JSON, tables. Shared by the CLI and NRPE.
        .target(
            name: "PortMatrixReport",
            dependencies: ["PortMatrixEngine", "PortMatrixModel", .product(name: "Yams", package: "Yams")]
        ),
        // What the NRPE listener and the status endpoint share: listen addresses, the
        // listening socket, the connection limit and draining, rate-limited refusal lines.
        .target(
            name: "PortMatrixListening",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // NRPE 2/3/4 wire protocol and the listener on TCP 5666.
        .target(
            name: "PortMatrixNRPE",
            dependencies: [
                "CZlib", "PortMatrixConfiguration", "PortMatrixListening", "PortMatrixEventLoops",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The status endpoint: a small HTTP/1.1 server of routes the executable gives (no engine
        // types), and the one GET that `plan --status URL` reads it with.
        .target(
            name: "PortMatrixHTTP",
            dependencies: [
                "PortMatrixConfiguration", "PortMatrixListening", "PortMatrixModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .systemLibrary(name: "CNetSNMP", path: "Sources/CNetSNMP"),
        // What net-snmp exposes only as macros and variadic functions.
        .target(name: "CNetSNMPShim", dependencies: ["CNetSNMP"], linkerSettings: [.linkedLibrary("netsnmpagent"), .linkedLibrary("netsnmp")]),
        // PORTMATRIX-MIB served through AgentX or an embedded master agent.
        .target(
            name: "PortMatrixSNMP",
            dependencies: [
                "CNetSNMP", "CNetSNMPShim", "PortMatrixConfiguration",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Serves a snapshot read from JSON; PortMatrixSNMPTests run it as a subprocess
        // because net-snmp keeps process-global state.
        .executableTarget(
            name: "SNMPTestAgent",
            dependencies: ["PortMatrixSNMP", .product(name: "Logging", package: "swift-log")]
        ),
        // Only wires: configuration -> engine -> front ends.
        .executableTarget(
            name: "portmatrix",
            dependencies: [
                "PortMatrixConfiguration", "PortMatrixModel", "PortMatrixEngine", "PortMatrixReport", "PortMatrixNRPE", "PortMatrixSNMP", "PortMatrixHTTP",
                "PortMatrixListening",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Benchmarks (not run in CI; see docs/benchmarks.md).
        .executableTarget(
            name: "EngineBench",
            dependencies: [
                "PortMatrixEngine", "PortMatrixModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/EngineBench"
        ),
        // CPU per check of the probes, for Benchmarks/Probes/run.sh; not shipped.
        .executableTarget(
            name: "ProbeBench",
            dependencies: [
                "PortMatrixEngine", "PortMatrixModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Probes/ProbeBench"
        ),
        // What the test targets share: the real loopback peers of Tests/Peers/, the tools they
        // run (check_nrpe, curl...), certificates, polling, scoped servers, temporary files.
        .target(
            name: "PortMatrixTestSupport",
            dependencies: [
                "PortMatrixConfiguration",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Tests/PortMatrixTestSupport"
        ),
        // An engine over scripted probes and a plan from YAML, for the engine's and the report's tests.
        .target(
            name: "PortMatrixEngineTestSupport",
            dependencies: [
                "PortMatrixEngine", "PortMatrixModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/PortMatrixEngineTestSupport"
        ),
        // NRPE load generator (Benchmarks/NRPE/run.sh); not part of the product.
        .executableTarget(
            name: "NRPELoad",
            dependencies: [
                "PortMatrixNRPE", "PortMatrixEventLoops",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/NRPE/NRPELoad"
        ),
        .testTarget(name: "PortMatrixModelTests", dependencies: ["PortMatrixModel", "PortMatrixTestSupport"]),
        .testTarget(name: "PortMatrixEngineTests", dependencies: [
            "PortMatrixTestSupport", "PortMatrixEngineTestSupport",
            "PortMatrixEngine", "PortMatrixModel", "PortMatrixReport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "PortMatrixReportTests", dependencies: [
            "PortMatrixTestSupport", "PortMatrixEngineTestSupport",
            "PortMatrixReport", "PortMatrixEngine", "PortMatrixModel",
        ]),
        .testTarget(name: "PortMatrixNRPETests", dependencies: [
            "PortMatrixNRPE", "PortMatrixConfiguration", "PortMatrixListening", "PortMatrixTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ], exclude: ["Fixtures"]),
        .testTarget(name: "PortMatrixListeningTests", dependencies: [
            "PortMatrixListening", "PortMatrixTestSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "PortMatrixHTTPTests", dependencies: [
            "PortMatrixTestSupport", "PortMatrixHTTP", "PortMatrixConfiguration",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "PortMatrixSNMPTests", dependencies: [
            "PortMatrixTestSupport", "PortMatrixSNMP", "PortMatrixConfiguration"]),
        .testTarget(name: "PortMatrixCLITests", dependencies: [
            "portmatrix", "PortMatrixModel", "PortMatrixEngine", "PortMatrixReport", "PortMatrixNRPE", "PortMatrixSNMP", "PortMatrixHTTP", "PortMatrixTestSupport",
            "PortMatrixEngineTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
