// PortMatrixSNMP
