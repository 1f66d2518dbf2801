import Foundation

/// PRTG's documented JSON for custom sensors (manual: "Custom Sensors"): `{"prtg": {"text",
/// "result": [...]}}` with at most 50 channels, or `{"prtg": {"error": 1, "text"}}`.
public enum PRTGSchema {
    public static let units: Set<String> = ["BytesBandwidth", "BytesMemory", "BytesDisk", "Temperature", "Percent", "TimeResponse",
                                     "TimeSeconds", "Custom", "Count", "CPU", "BytesFile", "SpeedDisk", "SpeedNet", "TimeHours"]
    public static let channelKeys: Set<String> = ["channel", "value", "unit", "customunit", "speedsize", "volumesize", "speedtime", "mode",
                                           "float", "decimalmode", "warning", "showchart", "showtable", "limitmaxerror",
                                           "limitmaxwarning", "limitminwarning", "limitminerror", "limiterrormsg",
                                           "limitwarningmsg", "limitmode", "valuelookup", "notifychanged"]

    /// The documented schema, as a list of violations (empty: PRTG reads it).
    public static func violations(_ json: String) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return ["not a JSON object"] }
        guard object.count == 1, let body = object["prtg"] as? [String: Any] else { return ["top level must be {\"prtg\": {...}}"] }
        var problems: [String] = []
        if let text = body["text"] {
            if let text = text as? String { if text.count > 2000 { problems.append("text over 2000 characters") } } else { problems.append("text not a string") }
        }
        if let error = body["error"] {
            if (error as? Int) != 1 { problems.append("error must be 1") }
            if body["text"] == nil { problems.append("an error needs a text") }
            if body["result"] != nil { problems.append("an error has no result") }
            return problems
        }
        guard let result = body["result"] as? [[String: Any]] else { return problems + ["result must be an array of channels"] }
        if result.isEmpty || result.count > 50 { problems.append("\(result.count) channels (1...50 allowed)") }
        var names = Set<String>()
        for channel in result {
            guard let name = channel["channel"] as? String, !name.isEmpty else { problems.append("channel without a name"); continue }
            if !names.insert(name).inserted { problems.append("\(name): channel name twice") }
            for key in channel.keys where !channelKeys.contains(key) { problems.append("\(name): unknown key \(key)") }
            guard let value = channel["value"] as? NSNumber else { problems.append("\(name): value must be a number"); continue }
            let isFloat = (channel["float"] as? Int) == 1
            if !isFloat && value.doubleValue != value.doubleValue.rounded() { problems.append("\(name): fraction without float: 1") }
            if let unit = channel["unit"] as? String, !units.contains(unit) { problems.append("\(name): unit \(unit)") }
            for flag in ["float", "limitmode", "notifychanged", "showchart", "showtable", "warning"] {
                if let v = channel[flag], ![0, 1].contains(v as? Int ?? -1) { problems.append("\(name): \(flag) must be 0 or 1") }
            }
            let limits = channel.keys.filter { $0.hasPrefix("limitm") && $0 != "limitmode" }
            for key in limits where !(channel[key] is NSNumber) { problems.append("\(name): \(key) not a number") }
            if !limits.isEmpty && (channel["limitmode"] as? Int) != 1 { problems.append("\(name): limits without limitmode 1") }
            if channel["valuelookup"] != nil {
                if (channel["unit"] as? String) != "Custom" { problems.append("\(name): a lookup channel needs unit Custom") }
                if !limits.isEmpty { problems.append("\(name): a lookup channel takes no limits") }
            }
        }
        return problems
    }

}
