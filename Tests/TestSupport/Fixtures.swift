public import Foundation

/// Files the tests read from `Tests/fixtures/` (spreadsheets written by `Tests/fixtures/spreadsheets/make.py`).
public enum Fixtures {
    public static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(path)))
    }

    /// Where the file is, for a browser's file input.
    public static func url(_ path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/\(path)")
    }
}
