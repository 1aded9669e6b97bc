import AsyncHTTPClient
import JWPlatform

extension IngestRunner {
    /// How a run reaches the platform, keeps its journal and reports, with defaults that are safe: the
    /// account of `JW_API_KEY`/`JW_API_SECRET`, the platform's endpoint over https, the journal beside the
    /// manifest, calls paced by the platform's rate limits, the remote check before any create.
    ///
    /// ```swift
    /// var configuration = IngestRunner.Configuration()
    /// configuration.credentials = .file(URL(fileURLWithPath: "/run/secrets/jw.json"))
    /// configuration.concurrency = 8
    /// configuration.stageLimits = ["upload": 2]
    /// configuration.observers = [PlainProgress()]
    /// ```
    public struct Configuration: Sendable {
        /// Where the key and secret come from (``CredentialSource/environment`` by default).
        public var credentials: CredentialSource = .environment
        /// The API's base URL; `nil` for the platform's (`https://api.jwplatform.com`).
        public var endpoint: String?
        /// The https rule for the endpoint and the upload links.
        public var security: TransportSecurity = .strict
        /// Where the journal is (``JournalLocation/besideManifest`` by default).
        public var journal: JournalLocation = .besideManifest
        /// Options and pipeline that override the manifest's (a CSV manifest has none of its own).
        public var manifestOverrides = ManifestOverrides()
        /// The backoff and attempts of every retry; `nil` for the manifest's `retries` with 0.5 s doubling
        /// backoff. The client itself never retries: its calls are retried by the stages, once.
        public var retryPolicy: RetryPolicy?
        /// How calls are paced by the platform's rate limits (``RateLimiting/perRoute`` by default).
        public var rateLimiting: RateLimiting = .perRoute
        /// Receive every event of the run, in order.
        public var observers: [any IngestObserver] = []
        /// The stages the pipeline may name: the built-ins and one's own.
        public var registry: StageRegistry = .standard
        /// Whether the videos the journal does not know are looked for on the platform before any create.
        public var remoteCheck = true
        /// Stop starting items after this many failed; `nil` for no limit.
        public var maxFailures: Int?
        /// Forget the creates whose answers were lost, once the journal is held (after checking the account).
        public var forgetPendingCreates = false
        /// With a shared journal, whether a worker that finds nothing to lease waits for the items other
        /// workers hold (the default), or ends at once.
        public var waitForOtherWorkers = true
        /// With a shared journal, whether a worker gives back the items whose file it does not see, for a
        /// worker that has them (`--only-local-files`), instead of failing them (the default).
        public var onlyLocalFiles = false
        /// A limit on reading the files to send, in bytes a second, fixed or by time of day (`--bwlimit`);
        /// it holds for the whole process while the run lasts. `nil` for none.
        public var bandwidth: BandwidthSchedule?
        /// The HTTP client.
        public var httpClient: HTTPClient = JWPlatformHTTPClient.shared

        /// Items in flight at once; `nil` for the manifest's `concurrency`.
        public var concurrency: Int? {
            get { manifestOverrides.concurrency }
            set { manifestOverrides.concurrency = newValue }
        }

        /// At most N items in a stage at once, over the manifest's `stage_limits`.
        public var stageLimits: [String: Int] {
            get { manifestOverrides.stageLimits }
            set { manifestOverrides.stageLimits = newValue }
        }

        /// The defaults.
        public init() {}
    }
}
