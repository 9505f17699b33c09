// token.mjs: HS256 join tokens for the peer servers, the same tokens Kopa
// takes (docs/protocol.md section 3), so that every server does the same
// per-connection identity work: check the signature, the expiry, iss and
// aud, and keep who the member is.
import crypto from 'node:crypto';
import fs from 'node:fs';

/** Reads the secret from file (trailing newlines dropped); throws if it is
 * shorter than 32 bytes. */
export function readSecret(file) {
    const s = fs.readFileSync(file).toString('utf8').replace(/[\r\n]+$/, '');
    if (Buffer.byteLength(s) < 32) throw new Error(`secret in ${file} is shorter than 32 bytes`);
    return Buffer.from(s, 'utf8');
}

/** Returns {id, name, role} from token when it is a valid HS256 token for
 * issuer and audience 'kopa', else null. */
export function verifyToken(secret, token) {
    if (typeof token !== 'string') return null;
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    let header, claims;
    try {
        header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
        claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
        return null;
    }
    if (header?.alg !== 'HS256') return null;
    const want = crypto.createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2], 'base64url');
    if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return null;
    const now = Math.floor(Date.now() / 1000);
    if (!Number.isInteger(claims.exp) || claims.exp <= now) return null;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== 'kopa' || !aud.includes('kopa')) return null;
    if (typeof claims.sub !== 'string' || typeof claims.role !== 'string') return null;
    return { id: claims.sub, name: String(claims.name ?? claims.sub), role: claims.role };
}

/** Parses `--name value` pairs from argv into an object of strings. */
export function parseArgs(argv, defaults) {
    const out = { ...defaults };
    for (let i = 0; i < argv.length; i += 2) {
        const k = argv[i];
        if (!k.startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${k}`);
        out[k.slice(2)] = argv[i + 1];
    }
    return out;
}
