// PortMatrixNRPE
