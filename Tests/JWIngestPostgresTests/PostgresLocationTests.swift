import Foundation
import Testing

@testable import JWIngestPostgres

/// `--journal postgres://…`: the URL read, the password found where libpq users keep it, and never shown.
@Suite("PostgreSQL journal URL and password")
struct PostgresLocationTests {
    @Test("a URL's parts; the password kept but never in the description or errors")
    func urlParts() throws {
        let location = try PostgresLocation(
            url: "postgresql://ingest:s%3Acret@db.example.com:6543/catalog", environment: [:])
        #expect(location.host == "db.example.com")
        #expect(location.port == 6543)
        #expect(location.user == "ingest")
        #expect(location.database == "catalog")
        #expect(location.password == "s:cret")
        #expect(!location.description.contains("cret"))
        #expect(location.description == "postgres://ingest@db.example.com:6543/catalog")
        let plain = try PostgresLocation(url: "postgres://ingest@db", environment: [:])
        #expect(plain.port == 5432 && plain.database == "ingest" && plain.password == nil)
    }

    @Test("a URL without a user or host is refused, the password in it not repeated")
    func badURLs() {
        for text in ["postgres://db.example.com/catalog", "postgres:///catalog", "postgres://:hunter2@/x"] {
            #expect {
                _ = try PostgresLocation(url: text, environment: [:])
            } throws: { error in
                error is PostgresJournalError && !"\(error)".contains("hunter2")
            }
        }
    }

    @Test("the password from PGPASSWORD, else from the .pgpass file (PGPASSFILE), with its escapes")
    func passwordSources() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pgpass")
        try Data(
            """
            # comment
            other.example.com:5432:*:ingest:wrong
            db.example.com:5432:catalog:ingest:pa\\:ss\\\\word:tail
            *:*:*:*:fallback

            """.utf8
        ).write(to: file)
        let url = "postgres://ingest@db.example.com/catalog"
        #expect(try PostgresLocation(url: url, environment: ["PGPASSWORD": "fromenv"]).password == "fromenv")
        #expect(try PostgresLocation(url: url, environment: ["PGPASSFILE": file.path]).password == "pa:ss\\word:tail")
        let elsewhere = "postgres://someone@db.example.com/catalog"
        #expect(try PostgresLocation(url: elsewhere, environment: ["PGPASSFILE": file.path]).password == "fallback")
        #expect(
            try PostgresLocation(
                url: "postgres://ingest:given@db.example.com/catalog", environment: ["PGPASSWORD": "x"]
            )
            .password == "given")
    }
}
