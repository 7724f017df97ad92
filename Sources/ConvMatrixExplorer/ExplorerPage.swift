/// The explorer's one page: HTML, CSS and JavaScript written by hand, with
/// no external file, font or script, so it works without internet. They are
/// the files Resources/explorer.html, explorer.css and explorer.js, compiled
/// into the program (SwiftPM's `embedInCode`), so no request touches the
/// file system.
///
/// The page is served as three files, `/` (or `/index.html`), `/explorer.css`
/// and `/explorer.js`, so that its Content-Security-Policy can allow only the
/// page's own script and style (`script-src 'self'; style-src 'self'`), with no
/// inline script at all: a view that ever carried markup into the page could
/// not run it. (Hashes of an inline script and style would do as well, but
/// would have to be recomputed whenever the files change; separate files need
/// nothing.) The HTML names them at its two marker comments.
///
/// The page only sends settings and swaps in what `/api/view` returns: every
/// number, matrix and picture on it is rendered by the library. The whole
/// state lives in the URL query (the keys of `ExplorerSettings`), written
/// with `history.pushState` on each change of a setting, so a link restores
/// the view and back/forward step through the changes. Linking is done in
/// the page from the answer's `pattern`, `rowElements` and `columnElements`
/// and the pictures' `data-link` cells.
package enum ExplorerPage {
    /// The style block of explorer.html, replaced by a link to `/explorer.css`.
    static let styleMarker = "<style>\n/* explorer.css */\n</style>\n"
    /// The script block of explorer.html, replaced by a script loaded from `/explorer.js`.
    static let scriptMarker = "<script>\n// explorer.js\n</script>\n"

    /// The page: explorer.html with its `<style>` block holding the comment
    /// `/* explorer.css */` replaced by a link to explorer.css, and its `<script>`
    /// block holding `// explorer.js` by a script element that loads explorer.js
    /// (each a comment, so the HTML file is a page of its own too).
    package static let html: String = String(decoding: PackageResources.explorer_html, as: UTF8.self)
        .replacing(styleMarker, with: "<link rel=\"stylesheet\" href=\"explorer.css\">\n", maxReplacements: 1)
        .replacing(scriptMarker, with: "<script src=\"explorer.js\"></script>\n", maxReplacements: 1)

    /// Resources/explorer.css as it is.
    package static let css = String(decoding: PackageResources.explorer_css, as: UTF8.self)

    /// Resources/explorer.js as it is.
    package static let script = String(decoding: PackageResources.explorer_js, as: UTF8.self)
}
