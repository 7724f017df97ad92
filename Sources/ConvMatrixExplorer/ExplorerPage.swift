/// The explorer's one page: HTML, CSS and JavaScript written by hand, with
/// no external file, font or script, so it works without internet. They are
/// the files Resources/explorer.html, explorer.css and explorer.js, compiled
/// into the program (SwiftPM's `embedInCode`), so no request touches the
/// file system.
///
/// The page only sends settings and swaps in what `/api/view` returns: every
/// number, matrix and picture on it is rendered by the library. The whole
/// state lives in the URL query (the keys of `ExplorerSettings`), written
/// with `history.pushState` on each change of a setting, so a link restores
/// the view and back/forward step through the changes. Linking is done in
/// the page from the answer's `pattern`, `rowElements` and `columnElements`
/// and the pictures' `data-link` cells.
package enum ExplorerPage {
    /// The page: explorer.html with explorer.css in place of its line
    /// `/* explorer.css */` and explorer.js in place of its line `// explorer.js`
    /// (each a comment, so the HTML file is a page of its own too).
    package static let html: String = {
        let css = String(decoding: PackageResources.explorer_css, as: UTF8.self)
        let script = String(decoding: PackageResources.explorer_js, as: UTF8.self)
        return String(decoding: PackageResources.explorer_html, as: UTF8.self)
            .replacing("/* explorer.css */\n", with: css, maxReplacements: 1)
            .replacing("// explorer.js\n", with: script, maxReplacements: 1)
    }()
}
