// The library product in one import: `import ConvMatrix` brings every layer, as the README and the
// DocC catalogs promise. Each layer is its own target, so the compiler keeps their dependencies
// pointing one way (docs/architecture.md draws them).
@_exported import ConvMatrixCore
@_exported import ConvMatrixInterchange
@_exported import ConvMatrixPooling
@_exported import ConvMatrixRendering
@_exported import ConvMatrixSpectrum
@_exported import ConvMatrixTeaching
@_exported import ConvMatrixVerification
