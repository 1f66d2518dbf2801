import Testing

@Test func placeholder_PortMatrixSNMPTests() {}
