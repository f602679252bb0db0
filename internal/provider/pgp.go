package provider

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// parsePGPKey reads one public key given as base64 of the binary key (what `gpg --export | base64`
// prints) or ASCII-armored ("-----BEGIN PGP PUBLIC KEY BLOCK-----"). The key must be able to encrypt.
func parsePGPKey(s string) (*openpgp.Entity, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("the key is empty")
	}
	var raw []byte
	if strings.HasPrefix(s, "-----BEGIN PGP") {
		block, err := armor.Decode(strings.NewReader(s))
		if err != nil {
			return nil, fmt.Errorf("cannot decode the ASCII armor: %v", err)
		}
		if block.Type != openpgp.PublicKeyType {
			return nil, fmt.Errorf("the armored block is a %q, expected %q", block.Type, openpgp.PublicKeyType)
		}
		buf := new(bytes.Buffer)
		if _, err := buf.ReadFrom(block.Body); err != nil {
			return nil, fmt.Errorf("cannot decode the ASCII armor: %v", err)
		}
		raw = buf.Bytes()
	} else {
		var err error
		raw, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, errors.New("it is neither ASCII-armored nor valid base64")
		}
	}
	entities, err := openpgp.ReadKeyRing(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("it is not an OpenPGP public key: %v", err)
	}
	if len(entities) != 1 {
		return nil, fmt.Errorf("it holds %d keys, expected exactly one", len(entities))
	}
	e := entities[0]
	if _, ok := e.EncryptionKey(time.Now()); !ok {
		return nil, errors.New("the key has no valid (unexpired, unrevoked) encryption subkey")
	}
	return e, nil
}

// pgpFingerprint is the primary key's fingerprint in upper-case hex.
func pgpFingerprint(e *openpgp.Entity) string {
	return strings.ToUpper(hex.EncodeToString(e.PrimaryKey.Fingerprint))
}

// encryptForPGPKey encrypts plaintext to the key and returns the base64 of the binary message, which
// `base64 -d | gpg --decrypt` reads.
func encryptForPGPKey(e *openpgp.Entity, plaintext string) (string, error) {
	buf := new(bytes.Buffer)
	w, err := openpgp.Encrypt(buf, []*openpgp.Entity{e}, nil, nil, nil)
	if err != nil {
		return "", fmt.Errorf("encrypting the temporary password with the PGP key: %v", err)
	}
	if _, err := w.Write([]byte(plaintext)); err != nil {
		return "", fmt.Errorf("encrypting the temporary password with the PGP key: %v", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("encrypting the temporary password with the PGP key: %v", err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// pgpKeyValidator rejects a pgp_key that cannot encrypt, at validate time.
func pgpKeyValidator() validator.String {
	return stringCheck{
		describedAs: "must be an OpenPGP public key, base64-encoded binary or ASCII-armored, with an encryption subkey",
		check: func(s string, p path.Path, diags *diag.Diagnostics) {
			if _, err := parsePGPKey(s); err != nil {
				diags.AddAttributeError(p, "Invalid PGP public key",
					fmt.Sprintf("pgp_key cannot be used: %v. Give the public key base64-encoded (`gpg --export KEYID | base64 -w0`) "+
						"or ASCII-armored (`gpg --armor --export KEYID`); the key needs an encryption subkey.", err))
			}
		},
	}
}
