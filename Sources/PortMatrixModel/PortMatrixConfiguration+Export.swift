// The model's public API speaks the reader's types (ConfigurationError, TargetAddress,
// NetworkPrefix, Duration parsing), so whoever imports the model gets them too, as NIO's
// umbrella module re-exports NIOCore.
@_exported import PortMatrixConfiguration
