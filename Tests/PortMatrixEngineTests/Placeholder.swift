import Testing

@Test func placeholder_PortMatrixEngineTests() {}
