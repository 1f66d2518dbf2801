import NIOHTTP1

/// What the executable serves: the server knows no engine type, only paths and bodies.
public protocol StatusHTTPRoutes: Sendable {
    /// The answer to a GET or HEAD of `path` (the request target without its query), or nil
    /// for 404. Called on an event loop for every request, so it reads the latest state.
    func response(for path: String) -> StatusHTTPResponse?
}

/// One answer: status, content type and body. HEAD gets the same head without the body.
public struct StatusHTTPResponse: Sendable, Equatable {
    public var status: HTTPResponseStatus
    public var contentType: String
    public var body: String

    public init(status: HTTPResponseStatus = .ok, contentType: String, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// `text/plain; charset=utf-8`, for indexes and error texts.
    public static func text(_ body: String, status: HTTPResponseStatus = .ok) -> StatusHTTPResponse {
        StatusHTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: body)
    }
}
