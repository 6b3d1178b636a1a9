import AzureSAS
import Foundation
import TestSupport
import Testing

/// Permission letters: reordered to the canonical orders, as the SDK's permission objects do
/// (`permission_canonical_order_from_string` in the SDK vectors); unknown and repeated letters refused.
struct AzurePermissionTests {
    @Test
    func sameOrderAsTheSDK() throws {
        let url = TestPaths.fixture("azure-sas/sdk-cases.json")
        let root = try TestPaths.jsonObject(url)
        let orders = try #require(root["permission_canonical_order_from_string"] as? [String: [[String: String]]])
        var checked = 0
        for (kind, examples) in orders {
            let order = kind == "AccountSasPermissions" ? AzurePermissions.accountOrder : AzurePermissions.serviceOrder
            for example in examples {
                #expect(try AzurePermissions.canonical(example["input"]!, order: order, kind: kind) == example["from_string"], "\(kind) \(example)")
                checked += 1
            }
        }
        #expect(checked == 10)
    }

    @Test func cliOrders() throws {
        #expect(try AzurePermissions.canonical("wc", order: AzurePermissions.serviceOrder, kind: "blob") == "cw")
        #expect(try AzurePermissions.canonical("ipoemftlyxdwcar", order: AzurePermissions.serviceOrder, kind: "blob") == "racwdxyltfmeopi")
        #expect(try AzurePermissions.canonical("itfpucalyxdwr", order: AzurePermissions.accountOrder, kind: "account") == "rwdxylacupfti")
    }

    @Test(arguments: ["", "rz", "rr", "R", "r w"])
    func badLettersAreRefused(_ letters: String) {
        let error = #expect(throws: AzureSASError.self) { try AzurePermissions.canonical(letters, order: AzurePermissions.serviceOrder, kind: "blob") }
        #expect(error?.code == "invalid-permission")
    }
}
