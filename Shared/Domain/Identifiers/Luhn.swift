/// The Luhn check digit Swedish personnummer and organisationsnummer end with: weights 2, 1, 2, 1, … from the left
/// over the nine digits before it, digit sums of the products, and the digit that brings the total to a multiple of 10.
enum Luhn {
    static func checkDigit(_ digits: some Collection<Int>) -> Int {
        var sum = 0
        for (index, digit) in digits.enumerated() {
            let product = digit * (index.isMultiple(of: 2) ? 2 : 1)
            sum += product / 10 + product % 10
        }
        return (10 - sum % 10) % 10
    }
}

extension StringProtocol {
    /// The decimal digits of the string, or nil if it holds anything else.
    var decimalDigits: [Int]? {
        var digits: [Int] = []
        digits.reserveCapacity(count)
        for scalar in unicodeScalars {
            guard ("0"..."9").contains(scalar) else { return nil }
            digits.append(Int(scalar.value - 48))
        }
        return digits
    }
}
