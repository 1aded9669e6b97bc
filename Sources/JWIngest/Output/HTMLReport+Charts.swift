import Foundation

extension HTMLReport {
    /// The chart's frame: its size and the margins that hold the axes' labels.
    struct Frame {
        var width = 960.0
        var height = 320.0
        var left = 72.0
        var right = 24.0
        var top = 16.0
        var bottom = 52.0

        var plotWidth: Double { width - left - right }
        var plotHeight: Double { height - top - bottom }
    }

    /// An axis from 0 to a round number above the data, with its ticks and how many decimals they need.
    struct Axis: Equatable {
        var maximum: Double
        var ticks: [Double]
        var decimals: Int

        /// An axis holding 0…`value` in about `count` steps of 1, 2, 2.5 or 5 times a power of ten.
        init(upTo value: Double, count: Int = 5) {
            guard value > 0, value.isFinite else {
                self.maximum = 1
                self.ticks = [0, 1]
                self.decimals = 0
                return
            }
            let rough = value / Double(count)
            let magnitude = pow(10, floor(log10(rough)))
            let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough * 0.999_999 } ?? 10 * magnitude
            let steps = Int((value / step - 1e-9).rounded(.up))
            self.maximum = Double(max(1, steps)) * step
            self.ticks = (0...max(1, steps)).map { Double($0) * step }
            self.decimals =
                (0...4).first { digits in
                    let scaled = step * pow(10, Double(digits))
                    return abs(scaled - scaled.rounded()) < 1e-6
                } ?? 4
        }

        /// `value` as the axis labels it.
        func label(_ value: Double) -> String { String(format: "%.\(decimals)f", value) }
    }

    /// The unit in which to show `bytes`: B, KiB, MiB or GiB, the largest that keeps it at 1 or more.
    static func unit(for bytes: Int64) -> (name: String, size: Double) {
        let units: [(String, Double)] = [("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1024)]
        return units.first { Double(bytes) >= $0.1 } ?? ("B", 1)
    }

    /// The cumulative bytes sent over the run's time, as inline SVG: a step for each item that finished
    /// (at its ``ItemResult/finishedAt``, its ``ItemState/sent`` size), with axes in seconds since the start
    /// and in the unit that suits the total. Unchanged items are left out: their bytes went in an earlier run.
    var throughputChart: String {
        let points =
            summary.results
            .compactMap { result -> (seconds: Double, bytes: Int64, result: ItemResult)? in
                if case .unchanged = result.outcome { return nil }
                guard let size = result.state.sent?.size, size > 0 else { return nil }
                let seconds = max(0, result.finishedAt.timeIntervalSince(summary.started))
                return (seconds, size, result)
            }
            .sorted { $0.seconds < $1.seconds }
        guard !points.isEmpty else {
            return "<p class=\"note\">No media was sent in this run, so there is nothing to chart.</p>"
        }
        let total = points.reduce(Int64(0)) { $0 + $1.bytes }
        let unit = Self.unit(for: total)
        let frame = Frame()
        let xAxis = Axis(upTo: max(summary.seconds, points.last?.seconds ?? 0, 0.001))
        let yAxis = Axis(upTo: Double(total) / unit.size)
        func x(_ seconds: Double) -> Double { frame.left + seconds / xAxis.maximum * frame.plotWidth }
        func y(_ amount: Double) -> Double { frame.top + frame.plotHeight * (1 - amount / yAxis.maximum) }
        func number(_ value: Double) -> String { String(format: "%.1f", value) }

        var path = "M\(number(x(0))),\(number(y(0)))"
        var cumulative = 0.0
        var marks: [String] = []
        for point in points {
            path += " H\(number(x(point.seconds)))"
            cumulative += Double(point.bytes) / unit.size
            path += " V\(number(y(cumulative)))"
            let failed = point.result.outcome.name == "failed" ? " failed" : ""
            let tip =
                "\(point.result.item.id): \(TerminalProgress.bytes(point.bytes)) \(point.result.outcome.name) at "
                + String(format: "%.1f s", point.seconds)
            marks.append(
                "<circle class=\"point\(failed)\" cx=\"\(number(x(point.seconds)))\" cy=\"\(number(y(cumulative)))\" "
                    + "r=\"4\"><title>\(Self.escaped(tip))</title></circle>")
        }
        let end = max(summary.seconds, points.last?.seconds ?? 0)
        path += " H\(number(x(end)))"
        let area = path + " V\(number(y(0))) Z"

        var grid: [String] = []
        for tick in yAxis.ticks {
            grid.append(
                "<line class=\"grid\" x1=\"\(number(frame.left))\" x2=\"\(number(frame.width - frame.right))\" "
                    + "y1=\"\(number(y(tick)))\" y2=\"\(number(y(tick)))\"/>"
                    + "<text class=\"tick\" x=\"\(number(frame.left - 8))\" y=\"\(number(y(tick) + 4))\" "
                    + "text-anchor=\"end\">\(yAxis.label(tick))</text>")
        }
        for tick in xAxis.ticks {
            grid.append(
                "<line class=\"axis\" x1=\"\(number(x(tick)))\" x2=\"\(number(x(tick)))\" "
                    + "y1=\"\(number(y(0)))\" y2=\"\(number(y(0) + 5))\"/>"
                    + "<text class=\"tick\" x=\"\(number(x(tick)))\" y=\"\(number(y(0) + 19))\" "
                    + "text-anchor=\"middle\">\(xAxis.label(tick))</text>")
        }
        let average = summary.seconds > 0 ? ", \(Self.rate(Double(total) / summary.seconds)) on average" : ""
        let caption =
            "\(TerminalProgress.bytes(total)) sent by \(points.count) item\(points.count == 1 ? "" : "s") "
            + "in \(Self.duration(summary.seconds))\(average)"
        return """
            <svg class="chart" viewBox="0 0 \(number(frame.width)) \(number(frame.height))" role="img" \
            aria-labelledby="throughput-title">
            <title id="throughput-title">Cumulative \(unit.name) sent over seconds since the start: \
            \(Self.escaped(caption))</title>
            \(grid.joined(separator: "\n"))
            <path class="area" d="\(area)"/>
            <path class="line" d="\(path)"/>
            \(marks.joined(separator: "\n"))
            <line class="axis" x1="\(number(frame.left))" x2="\(number(frame.width - frame.right))" \
            y1="\(number(y(0)))" y2="\(number(y(0)))"/>
            <line class="axis" x1="\(number(frame.left))" x2="\(number(frame.left))" \
            y1="\(number(frame.top))" y2="\(number(y(0)))"/>
            <text x="\(number(frame.left + frame.plotWidth / 2))" y="\(number(frame.height - 8))" \
            text-anchor="middle">seconds since the start</text>
            <text transform="translate(16 \(number(frame.top + frame.plotHeight / 2))) rotate(-90)" \
            text-anchor="middle">\(unit.name) sent (cumulative)</text>
            </svg>
            <p class="note">\(Self.escaped(caption)). Each step is an item finishing; its bytes count when it \
            ends.</p>
            """
    }

    /// Each stage's total and mean time over the items it ran for, as horizontal bars in inline SVG.
    var stageChart: String {
        var order: [String] = []
        var totals: [String: (seconds: Double, count: Int)] = [:]
        for result in summary.results {
            for time in result.stageTimes {
                if totals[time.stage] == nil { order.append(time.stage) }
                totals[time.stage, default: (0, 0)].seconds += time.seconds
                totals[time.stage, default: (0, 0)].count += 1
            }
        }
        guard !order.isEmpty else {
            return "<p class=\"note\">No stage times: no stage ran, or this report was rebuilt from a journal, "
                + "which does not keep them.</p>"
        }
        let rowHeight = 30.0
        let labelWidth = 150.0
        let textWidth = 300.0
        let width = 960.0
        let barSpace = width - labelWidth - textWidth
        let longest = order.map { totals[$0]?.seconds ?? 0 }.max() ?? 0
        let height = rowHeight * Double(order.count) + 8
        func number(_ value: Double) -> String { String(format: "%.1f", value) }
        var rows: [String] = []
        for (index, stage) in order.enumerated() {
            let (seconds, count) = totals[stage] ?? (0, 0)
            let mean = seconds / Double(max(1, count))
            let top = 4 + Double(index) * rowHeight
            let bar = longest > 0 ? max(1, seconds / longest * barSpace) : 1
            let meanBar = longest > 0 ? max(1, mean / longest * barSpace) : 1
            let text =
                String(format: "%.3f s total · %.3f s mean · ", seconds, mean) + "\(count) item\(count == 1 ? "" : "s")"
            rows.append(
                """
                <g><title>\(Self.escaped(stage)): \(Self.escaped(text))</title>\
                <text x="\(number(labelWidth - 10))" y="\(number(top + 19))" text-anchor="end">\
                \(Self.escaped(stage))</text>\
                <rect class="bar" x="\(number(labelWidth))" y="\(number(top + 4))" width="\(number(bar))" \
                height="\(number(rowHeight - 10))" rx="2"/>\
                <rect class="mean" x="\(number(labelWidth))" y="\(number(top + 11))" width="\(number(meanBar))" \
                height="6"/>\
                <text class="tick" x="\(number(labelWidth + bar + 8))" y="\(number(top + 19))">\
                \(Self.escaped(text))</text></g>
                """)
        }
        return """
            <svg class="chart" viewBox="0 0 \(number(width)) \(number(height))" role="img" \
            aria-labelledby="stages-title">
            <title id="stages-title">Seconds per stage, total over all items (bar) and mean per item (dark line)\
            </title>
            \(rows.joined(separator: "\n"))
            </svg>
            <p class="note">Bars: total seconds of each stage over all items (stages of items running at once \
            overlap); the dark line inside: the mean per item.</p>
            """
    }
}
