/// Draws ``Lifecycle/rules`` as a Mermaid state diagram, for `docs/lifecycle.md` (a test checks the document holds
/// exactly this text).
public enum LifecycleDiagram {
    public static func mermaid() -> String {
        var lines = ["stateDiagram-v2", "    [*] --> stored: standard contract", "    [*] --> readyForMKA: special contract"]
        for rule in Lifecycle.rules {
            for from in rule.from {
                let condition = rule.condition.map { " [\($0.rawValue)]" } ?? ""
                lines.append("    \(from.rawValue) --> \(rule.to.rawValue): \(rule.input.rawValue)\(condition)")
            }
        }
        for state in ContractState.allCases where !state.isOpen {
            lines.append("    \(state.rawValue) --> [*]")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
