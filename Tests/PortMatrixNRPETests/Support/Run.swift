import Foundation
import PortMatrixTestSupport

/// Runs a program to completion; stdout, then stderr (the shell lines that interleave them say `2>&1`).
@discardableResult
func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
    do {
        let result = try runToolBlocking(executable, arguments)
        return (result.status, result.stdout + result.stderr)
    } catch {
        return (-1, "\(error)")
    }
}
