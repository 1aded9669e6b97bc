// swift-tools-version: 6.1
// Micro-benchmarks of the per-item hot paths (issue 14), with ordo-one/benchmark counting allocations:
//
//   cd Benchmarks && swift package --disable-sandbox benchmark
//
// A package of its own, so that the project's build and tests never fetch or build the benchmark tool.
import Foundation
import PackageDescription

// The project is this folder's parent; SwiftPM names a path dependency after its folder, whatever the clone
// is called.
let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "JWIngestBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: project.path),
        .package(url: "https://github.com/ordo-one/benchmark.git", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PerItemCost",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "JWIngest", package: project.lastPathComponent.lowercased()),
                .product(name: "JWPlatform", package: project.lastPathComponent.lowercased()),
                .product(name: "MediaProbe", package: project.lastPathComponent.lowercased()),
            ],
            path: "Benchmarks/PerItemCost",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
