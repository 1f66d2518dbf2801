// PortMatrixEngine
