import PortMatrixListening

/// The `allowed_hosts` matcher moved to PortMatrixListening (the status endpoint uses it too);
/// the NRPE name stays.
typealias NRPEAllowedHost = AllowedHost
