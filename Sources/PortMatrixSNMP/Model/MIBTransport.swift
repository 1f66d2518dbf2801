/// `pmCheckTransport` of PORTMATRIX-MIB.
public enum MIBTransport: Int, Sendable, Codable {
    case tcp = 1
    case udp = 2
}
