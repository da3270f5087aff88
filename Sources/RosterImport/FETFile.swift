import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ScenarioKit

/// One element of a FET file: its name, the line it starts on, its text and its child elements.
/// FET files are small trees of simple elements (`<Teacher><Name>Lee</Name></Teacher>`), so the
/// whole file is read into these before it is mapped.
struct FETElement: Sendable {
    var name: String
    var line: Int
    var text: String = ""
    var children: [FETElement] = []

    init(name: String, line: Int) { self.name = name; self.line = line }

    func child(_ name: String) -> FETElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [FETElement] { children.filter { $0.name == name } }
    /// The trimmed text of the first child called `name`, nil when there is none.
    func value(_ name: String) -> String? { child(name).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) } }
    func values(_ name: String) -> [String] { children(name).map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) } }
    /// FET writes `<Active>false</Active>` on what the user switched off; absent means active.
    var isActive: Bool { value("Active").map { $0.lowercased() != "false" } ?? true }
}

/// Reads a `.fet` file (FET's XML) into `FETElement`s, or names the file, line and element where the
/// XML breaks.
enum FETFile {
    static func read(path: String) throws(InputError) -> FETElement {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(file: path, "file not found") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot be read (is it a directory, or unreadable?)")
        }
        return try parse(data, file: path)
    }

    static func parse(_ data: Data, file: String) throws(InputError) -> FETElement {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        let ok = parser.parse()
        if !ok || builder.root == nil {
            let line = builder.errorLine ?? parser.lineNumber
            let element = builder.errorElement ?? builder.stack.last?.name
            let reason = (parser.parserError ?? builder.error).map { ($0 as NSError).localizedDescription } ?? "no root element"
            let place = element.map { "in element <\($0)>" } ?? "before the first element"
            throw InputError([InputProblem(file: file, line: line, entity: element.map { "<\($0)>" } ?? "",
                                           message: "malformed XML \(place) (\(reason)); a FET file must be the XML FET saves")])
        }
        let root = builder.root!
        guard root.name == "fet" else {
            throw InputError([InputProblem(file: file, line: root.line, entity: "<\(root.name)>",
                                           message: "the root element is <\(root.name)>, not <fet>; is this a FET file?")])
        }
        return root
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [FETElement] = []
    var root: FETElement?
    var errorLine: Int?
    var error: Error?
    /// The innermost open element when the XML broke (the parser may unwind the rest afterwards).
    var errorElement: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        stack.append(FETElement(name: elementName, line: parser.lineNumber))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard let done = stack.popLast() else { return }
        if stack.isEmpty { root = done } else { stack[stack.count - 1].children.append(done) }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if errorLine == nil { errorLine = parser.lineNumber; error = parseError; errorElement = stack.last?.name }
    }
}
