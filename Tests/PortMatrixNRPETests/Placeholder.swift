import Testing

@Test func placeholder_PortMatrixNRPETests() {}
