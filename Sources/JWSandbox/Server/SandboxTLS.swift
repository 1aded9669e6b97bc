import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// The certificate and key a sandbox serves HTTPS with: a throw-away certificate authority made for
/// one run (``throwAway(hosts:)``, whose certificate clients are told to trust), or the user's own
/// (``load(certificateChain:privateKey:)``).
public struct SandboxTLS: Sendable {
    /// The server's certificate chain, PEM, leaf first.
    public var certificateChainPEM: String
    /// The server's private key, PEM (never printed).
    public var privateKeyPEM: String
    /// The certificate of the throw-away authority that signed the chain, PEM; `nil` for the user's own.
    public var authorityPEM: String?

    /// Creates a value from PEM texts.
    public init(certificateChainPEM: String, privateKeyPEM: String, authorityPEM: String? = nil) {
        self.certificateChainPEM = certificateChainPEM
        self.privateKeyPEM = privateKeyPEM
        self.authorityPEM = authorityPEM
    }

    /// A new certificate authority (P-256, valid 30 days) and a server certificate it signs for `hosts`
    /// (IP addresses and DNS names), so that a client trusting the authority verifies the server as it
    /// would a real one.
    ///
    /// - Throws: ``SandboxStartError`` when the certificates cannot be made.
    public static func throwAway(hosts: [String] = ["127.0.0.1", "::1", "localhost"]) throws -> SandboxTLS {
        do {
            let now = Date()
            let authorityKey = P256.Signing.PrivateKey()
            let authorityName = try DistinguishedName {
                OrganizationName("JWIngest sandbox")
                CommonName("JWIngest sandbox throw-away CA \(UUID().uuidString.prefix(8))")
            }
            let authority = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(authorityKey.publicKey), notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: now.addingTimeInterval(30 * 24 * 3600), issuer: authorityName, subject: authorityName,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                },
                issuerPrivateKey: Certificate.PrivateKey(authorityKey))
            let serverKey = P256.Signing.PrivateKey()
            let names = try hosts.map(Self.generalName)
            let server = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(),
                publicKey: Certificate.PublicKey(serverKey.publicKey), notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: now.addingTimeInterval(30 * 24 * 3600), issuer: authorityName,
                subject: try DistinguishedName { CommonName(hosts.first ?? "127.0.0.1") },
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames(names)
                },
                issuerPrivateKey: Certificate.PrivateKey(authorityKey))
            return SandboxTLS(
                certificateChainPEM: try server.serializeAsPEM().pemString, privateKeyPEM: serverKey.pemRepresentation,
                authorityPEM: try authority.serializeAsPEM().pemString)
        } catch {
            throw SandboxStartError(reason: "cannot make the throw-away TLS certificates: \(error)")
        }
    }

    /// The user's certificate chain and key, from PEM files.
    ///
    /// - Throws: ``SandboxStartError`` naming the file that cannot be read or holds no PEM.
    public static func load(certificateChain: URL, privateKey: URL) throws -> SandboxTLS {
        func text(_ url: URL, _ what: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: url.path),
                let text = String(data: data, encoding: .utf8),
                text.contains("-----BEGIN ")
            else {
                throw SandboxStartError(reason: "cannot read the TLS \(what) from \(url.path): not a PEM file")
            }
            return text
        }
        return SandboxTLS(
            certificateChainPEM: try text(certificateChain, "certificate chain"),
            privateKeyPEM: try text(privateKey, "private key"))
    }

    /// The server side of TLS with this chain and key.
    func serverConfiguration() throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateChainPEM.utf8))
            let key = try NIOSSLPrivateKey(bytes: Array(privateKeyPEM.utf8), format: .pem)
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        } catch {
            throw SandboxStartError(reason: "the TLS certificate chain or key is not usable: \(error)")
        }
    }

    /// A subject alternative name for an IP address (v4 or v6) or a DNS name.
    static func generalName(_ host: String) throws -> GeneralName {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(withUnsafeBytes(of: &v4) { Array($0) })))
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return .ipAddress(ASN1OctetString(contentBytes: ArraySlice(withUnsafeBytes(of: &v6) { Array($0) })))
        }
        return .dnsName(host)
    }
}
