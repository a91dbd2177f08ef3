using System.Security.Cryptography;
using System.Text;

namespace Molt.Control;

/// <summary>Compares TCP tokens in constant time.</summary>
internal sealed class TokenCheck(string expected)
{
    // Both sides are hashed first so that the comparison takes the same time whatever the
    // candidate's length: FixedTimeEquals returns early on a length mismatch, which would leak it.
    private readonly byte[] _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(expected));

    public bool Matches(string? candidate)
    {
        if (candidate is null)
        {
            return false;
        }

        var candidateHash = SHA256.HashData(Encoding.UTF8.GetBytes(candidate));
        return CryptographicOperations.FixedTimeEquals(candidateHash, _expectedHash);
    }
}
