import Foundation
import JWPlatform
import NIOSSL
import PostgresNIO

/// Where a shared journal lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`. The password comes
/// from the URL, else from `PGPASSWORD`, else from `~/.pgpass` (or `PGPASSFILE`); it is never shown.
public struct PostgresLocation: Sendable, CustomStringConvertible {
    /// The host.
    public var host: String
    /// The port (5432 by default).
    public var port: Int
    /// The user.
    public var user: String
    /// The database (the user's name by default).
    public var database: String
    let password: String?

    /// Whether `text` names a PostgreSQL journal (`postgres://` or `postgresql://`).
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads a URL.
    ///
    /// - Parameter environment: Where `PGPASSWORD` and `PGPASSFILE` are looked for.
    /// - Throws: ``PostgresJournalError`` for a URL without a host or user.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isPostgresURL(text), let components = URLComponents(string: text), let host = components.host,
            !host.isEmpty
        else {
            throw PostgresJournalError(
                "\(Redaction.redact(url: text)) is not a postgres://USER@HOST[:PORT]/DATABASE URL")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw PostgresJournalError("\(Redaction.redact(url: text)) names no user (postgres://USER@HOST/DB)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        self.database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        let (port, database) = (self.port, self.database)
        self.password =
            components.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
            ?? Self.passwordFile(environment).flatMap { Self.password(in: $0, host, port, database, user) }
    }

    /// `postgres://user@host:port/database`, never the password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The client's configuration: TLS when the server offers it (with the system's trust roots).
    var configuration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database,
            tls: .prefer(.makeClientConfiguration()))
        configuration.options.maximumConnections = 8
        return configuration
    }

    private static func passwordFile(_ environment: [String: String]) -> String? {
        let path =
            environment["PGPASSFILE"]
            ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? NSHomeDirectory() + "/.pgpass")
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The password of the first `host:port:database:user:password` line that matches (`*` matches all;
    /// `\:` and `\\` stand for a colon and a backslash, as libpq reads them).
    static func password(in text: String, _ host: String, _ port: Int, _ database: String, _ user: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = passFields(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A `.pgpass` line's fields: split at colons not escaped, the escapes undone; the fifth field takes
    /// the rest of the line.
    static func passFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}

/// The shared journal cannot be used: a bad URL, an unreachable database, a manifest that is not the
/// run's.
public struct PostgresJournalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong and what to do.
    public var reason: String

    /// Creates an error.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { "shared journal: \(reason)" }
}
