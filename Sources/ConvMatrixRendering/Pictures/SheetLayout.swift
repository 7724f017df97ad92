import ConvMatrixCore
import ConvMatrixInterchange

/// How the steps of a picture are laid out as contact sheets: a landscape
/// grid of at most 3 × 3 panels, sized for a slide or an A4 landscape page.
///
/// The page is 1280 × 905 px: A4 landscape's proportions (297 : 210) at the
/// width of a 1280 × 720 projector, so that 12 px text (9 pt at 100 %) stays
/// 12 px there, and a 16:9 or 4:3 slide shows the whole sheet at about 80 %.
/// A sheet is at most that page, with width / height between 1.0 and 2.2
/// wherever its panels allow.
///
/// The grid is chosen once per picture, so that `sheet n` pages through the
/// steps in the same grid: the most panels whose cells are large enough for
/// every label to be at least `SlidingScene.minimumText`; when that would
/// leave fewer than four panels, the most panels whose one-line labels stay
/// readable (a cell meant for two lines, a tap's name over a value or y· over
/// w, then shows at most its own value); and when not even that fits, the most panels
/// with cells of at least 10 px (for the widest grids 4 px), the step titles
/// naming what each panel shows.
struct SheetLayout: Equatable {
    /// Panel columns.
    let columns: Int
    /// Panel rows of a full sheet.
    let rows: Int
    /// The side of a grid cell, in pixels.
    let cell: Double

    /// The steps on one sheet.
    var panelsPerSheet: Int { columns * rows }

    /// The page a sheet fits, in pixels.
    static let pageWidth = 1280.0
    static let pageHeight = 905.0
    /// The most panels on a sheet, and the most side by side.
    static let mostPanels = 9
    static let mostColumns = 3
    /// The space between two panels side by side, and the margin left and right of the sheet.
    static let gap = 24.0
    static let margin = 10.0
    /// The largest cell a sheet uses, and the smallest it tries before the last resort of 4 px.
    static let largestCell = 48.0
    static let smallestCell = 10.0
    /// The narrowest and widest a sheet should be for its height.
    static let aspectRange = 1.0...2.2

    /// What a sheet holds apart from its panels' cells.
    struct Content {
        /// A panel's size in cells, [rows, columns].
        var panelCells: [Double]
        /// Pixels a panel row adds to its cells: the step's title, an equation.
        var panelExtra: Double
        /// Pixels above and below the panels: captions, notes, legend.
        var chrome: Double
        /// The least width the captions and the legend need.
        var minimumWidth: Double
        /// The number of steps.
        var steps: Int
    }

    /// The width of a sheet of `columns` panels at `cell`.
    static func width(_ content: Content, columns: Int, cell: Double) -> Double {
        let panels = Double(columns) * content.panelCells[1] * cell + Double(columns - 1) * gap
        return max(panels + 2 * margin, content.minimumWidth)
    }

    /// The height of a sheet of `rows` panel rows at `cell`.
    static func height(_ content: Content, rows: Int, cell: Double) -> Double {
        content.chrome + Double(rows) * (content.panelCells[0] * cell + content.panelExtra)
    }

    /// The layout for `content`, trying the cell sides `sides` (largest first: every
    /// label readable, one-line labels readable) before the smallest cell.
    init(_ content: Content, sides: [Double]) {
        var chosen: SheetLayout?
        // Last, for the widest grids (64 cells and more a panel), cells down to 4 px, a pattern to look at.
        let tiers = sides.filter { $0 > Self.smallestCell } + [Self.smallestCell, 4]
        for (index, side) in tiers.enumerated() {
            var best: (layout: SheetLayout, score: (Int, Int, Double, Int))?
            for columns in 1...Self.mostColumns {
                for rows in 1...Self.mostPanels where columns * rows <= Self.mostPanels {
                    let shown = min(content.steps, columns * rows)
                    // No empty column, and no full row left empty on the first sheet.
                    guard columns <= shown, (rows - 1) * columns < max(shown, 1) else { continue }
                    let room = (Self.pageWidth - 2 * Self.margin - Double(columns - 1) * Self.gap) / (Double(columns) * content.panelCells[1])
                    let tall = ((Self.pageHeight - content.chrome) / Double(rows) - content.panelExtra) / content.panelCells[0]
                    let largest = min(Self.largestCell, room, tall).rounded(.down)
                    guard largest >= side else { continue }
                    let usedRows = (shown + columns - 1) / columns
                    let landscape = { (cell: Double) in
                        Self.aspectRange.contains(Self.width(content, columns: columns, cell: cell) / Self.height(content, rows: usedRows, cell: cell))
                    }
                    // The largest cell that keeps the sheet between 1.0 and 2.2 (flat 1-D panels may need a smaller one).
                    var cell = largest
                    while !landscape(cell) && cell - 1 >= side { cell -= 1 }
                    if !landscape(cell) { cell = largest }
                    let score = (landscape(cell) ? 1 : 0, shown, cell, -columns * rows)
                    if best.map({ score > $0.score }) ?? true { best = (SheetLayout(columns: columns, rows: rows, cell: cell), score) }
                }
            }
            // A tier is taken when it shows at least four panels (or every step); the last one always is.
            if let best, best.score.1 >= min(content.steps, 4) || index == tiers.count - 1 {
                chosen = best.layout
                break
            }
        }
        self = chosen ?? SheetLayout(columns: 1, rows: 1, cell: Self.smallestCell)
    }

    private init(columns: Int, rows: Int, cell: Double) {
        self.columns = columns
        self.rows = rows
        self.cell = cell
    }
}

/// The other sheets than `page` of `sheets`, as flags: "--sheet 2, --sheet 3", or for many "--sheet 2 … --sheet 36".
func otherSheets(_ page: Int, of sheets: Int) -> String {
    let others = (1...sheets).filter { $0 != page }
    if others.count <= 3 { return others.map { "--sheet \($0)" }.joined(separator: ", ") }
    return "--sheet \(others[0]) … --sheet \(others[others.count - 1])"
}
