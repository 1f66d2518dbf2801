import NIOCore

/// Frames NRPE packets out of a byte stream for a ``ByteToMessageHandler``.
///
/// Header checks happen as soon as the header bytes arrive, so garbage or a 2 GiB
/// buffer_length is refused after 16 bytes instead of being buffered.
public struct NRPEPacketDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = NRPEPacket

    public let maximumBufferLength: Int

    public init(maximumBufferLength: Int = NRPEPacket.maximumBufferLength) {
        self.maximumBufferLength = maximumBufferLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let prefix = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, NRPEPacket.headerSize)) ?? []
        guard let size = try NRPEPacket.frameSize(startingWith: prefix[...], maximumBufferLength: maximumBufferLength),
              let frame = buffer.readBytes(length: size)
        else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(try NRPEPacket.decodeFrame(frame)))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        guard buffer.readableBytes == 0 else {
            // The peer closed mid-packet: report what was expected, for the log line.
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            _ = try NRPEPacket(decoding: bytes, maximumBufferLength: maximumBufferLength)
            return .needMoreData
        }
        return .needMoreData
    }
}
