import Testing

@Test func placeholder_PortMatrixCLITests() {}
