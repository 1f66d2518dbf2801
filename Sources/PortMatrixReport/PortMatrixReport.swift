// PortMatrixReport
