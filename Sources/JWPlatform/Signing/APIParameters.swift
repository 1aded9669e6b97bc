/// The parameters of one API call: an ordered list of names and values in which a name may repeat.
///
/// A repeated name is a list (`tags=a&tags=b`); it is signed and sent in list order. Values are text:
/// ``APIParameterValue`` says how booleans, numbers and `nil` are written, the way the official Python
/// client writes them (`True`, `False`, `None`).
public struct APIParameters: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// One parameter.
    public struct Parameter: Sendable, Hashable {
        /// The name, unencoded (`custom.ingest_id`, `search:custom.ingest_id`).
        public var name: String
        /// The value, unencoded.
        public var value: String

        /// Creates a parameter.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The parameters in order.
    public private(set) var parameters: [Parameter] = []

    /// Creates an empty list.
    public init() {}

    /// Creates a list from pairs, in order.
    public init(_ pairs: [(String, any APIParameterValue)]) {
        for (name, value) in pairs { append(name, value) }
    }

    /// Parameters written as a dictionary literal, in the order written.
    public init(dictionaryLiteral elements: (String, any APIParameterValue)...) {
        self.init(elements)
    }

    /// Adds a parameter at the end, keeping any earlier one of the same name (a list).
    public mutating func append(_ name: String, _ value: some APIParameterValue) {
        parameters.append(Parameter(name: name, value: value.parameterText))
    }

    /// Adds a parameter at the end, keeping any earlier one of the same name (a list).
    public mutating func append(_ name: String, _ value: any APIParameterValue) {
        parameters.append(Parameter(name: name, value: value.parameterText))
    }

    /// Sets a parameter: removes every parameter of that name, then adds this one at the end.
    public mutating func set(_ name: String, _ value: some APIParameterValue) {
        remove(name)
        append(name, value)
    }

    /// Removes every parameter named `name`.
    public mutating func remove(_ name: String) {
        parameters.removeAll { $0.name == name }
    }

    /// The first value of the parameter named `name`.
    public subscript(name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }

    /// Appends every parameter of `other`, in order.
    public mutating func append(contentsOf other: APIParameters) {
        parameters.append(contentsOf: other.parameters)
    }

    /// The parameters as `name=value` pairs joined with `&`, both percent-encoded (no sorting).
    public var encodedQuery: String {
        // One buffer: two strings a parameter and the join were a dozen allocations a call (issue 14).
        var output: [UInt8] = []
        output.reserveCapacity(parameters.reduce(16) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 })
        for (index, parameter) in parameters.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            PercentEncoding.append(parameter.name, to: &output)
            output.append(UInt8(ascii: "="))
            PercentEncoding.append(parameter.value, to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The position of the first element.
    public var startIndex: Int { parameters.startIndex }
    /// The position after the last element.
    public var endIndex: Int { parameters.endIndex }
    /// The element at `position`.
    public subscript(position: Int) -> Parameter { parameters[position] }
}

/// A value that can be sent as an API parameter.
///
/// Booleans are written `True`/`False` and `nil` as `None`, as the official Python client writes them
/// (`update_file=True`, `key_in_path=True`).
public protocol APIParameterValue: Sendable {
    /// The text sent for this value, before percent-encoding.
    var parameterText: String { get }
}

extension String: APIParameterValue {
    /// The value as the API takes it in a parameter.
    public var parameterText: String { self }
}

extension Substring: APIParameterValue {
    /// The value as the API takes it in a parameter.
    public var parameterText: String { String(self) }
}

extension Int: APIParameterValue {
    /// The value as the API takes it in a parameter.
    public var parameterText: String { String(self) }
}

extension Int64: APIParameterValue {
    /// The value as the API takes it in a parameter.
    public var parameterText: String { String(self) }
}

extension Bool: APIParameterValue {
    /// The value as the API takes it in a parameter.
    public var parameterText: String { self ? "True" : "False" }
}

extension Optional: APIParameterValue where Wrapped: APIParameterValue {
    /// The value as the API takes it in a parameter.
    public var parameterText: String { self?.parameterText ?? "None" }
}

extension APIParameters.Parameter: Codable {}
