import AvtalBackOffice
import AvtalDomain
import Synchronization

/// The internal form's fields as rendered for a blank form — the page every phone sale through the form starts from —
/// kept per set of kinds offered and start date. A blank form's fields depend on nothing else, so the page then costs
/// the render of its frame instead of some thirty field renders over dynamic contexts (issue 19: rendering the form
/// was a tenth of webbavtal's CPU under load). Any other form (an error to show, a prefill from Lime) is rendered
/// afresh each time.
final class BlankFormFields: Sendable {
    private let rendered = Mutex<[String: String]>([:])
    /// Days and roles are few: past this many entries the oldest days are simply forgotten, all at once.
    private static let capacity = 32

    /// The fields' HTML for `form`: from the cache when `form` is blank and has no errors, else from `render`.
    func html(for form: ContractForm, errors: FieldErrors, kinds: [ContractKind], today: CivilDate, render: () -> String) -> String {
        guard errors.isEmpty, form == ContractForm.blank(today: today) else { return render() }
        let key = kinds.map(\.rawValue).joined(separator: ",") + "|" + (form.fields["startDate"] ?? "")
        if let html = rendered.withLock({ $0[key] }) { return html }
        let html = render()
        rendered.withLock { rendered in
            if rendered.count >= Self.capacity { rendered.removeAll() }
            rendered[key] = html
        }
        return html
    }
}
