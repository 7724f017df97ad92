import ConvMatrix

/// Why the explorer could not answer a request with views.
///
/// `malformed` is a query that is not the explorer's (HTTP 400, the page
/// never sends one); `refused` is a setting the library or the explorer's
/// limits refuse, answered with the CLI's one-line message and the field
/// whose control the page marks.
package enum ExplorerError: UserFacingError, Equatable, Sendable {
    /// The query cannot be read: unknown or repeated key, broken escape, too long.
    case malformed(String)
    /// A setting (named by `field`, the library's field name) is refused.
    case refused(field: String, message: String)

    package func message(spellingFields spell: (String) -> String) -> String {
        switch self {
        case .malformed(let reason): return reason
        case .refused(_, let message): return message
        }
    }

    /// A library refusal as the CLI words it (fields spelled as flags), with
    /// the first field the message names: the one that caused it.
    static func refusal(_ error: some UserFacingError) -> ExplorerError {
        var first: String?
        let message = error.message { field in
            if first == nil { first = field }
            return flagName(field)
        }
        return .refused(field: first.map(controlField) ?? "input", message: message)
    }

    /// `stride[1]` → `stride`: the control that holds every dimension of a field.
    static func controlField(_ field: String) -> String {
        String(field.prefix { $0 != "[" && $0 != " " })
    }
}

/// A library field as `convmat` spells it in the messages the page shows (`stride[0]` →
/// `--stride[0]`): the explorer's messages name the geometry's keys and the few other fields its
/// settings and limits refuse, all of them flags of the same name in the CLI.
func flagName(_ field: String) -> String {
    FieldCodec.spelling(field, flagKeys: explorerFlagKeys)
}

/// The fields the explorer's messages can name that are `convmat` flags too.
private let explorerFlagKeys = Set(FieldCodec.keys).union(["weights", "values", "order", "flip", "max_memory"])
