import CoreMetrics

/// Counts the API calls (v1 and v2) by route and HTTP status through swift-metrics, as
/// `jwingest_api_calls_total{route, status}`; `status` is `none` when no answer came. Without a metrics
/// backend bootstrapped, swift-metrics drops the counts.
enum APICallMetrics {
    /// The counter's label.
    static let label = "jwingest_api_calls_total"

    /// Counts one call of `route` answered with `status` (`nil`: no answer).
    static func record(route: String, status: Int?) {
        Counter(label: label, dimensions: [("route", route), ("status", status.map(String.init) ?? "none")])
            .increment()
    }
}
