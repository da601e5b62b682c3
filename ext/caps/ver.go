package caps

import (
	"cmp"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"hash"
	"slices"
	"strings"

	xmpp "parley.dev/xmpp"
	"parley.dev/xmpp/ext/disco"
	"parley.dev/xmpp/ext/form"
)

// Hash function names of the IANA Hash Function Textual Names registry
// that XEP-0115 §5.1 uses in the hash attribute.
const (
	HashSHA1   = "sha-1"
	HashSHA224 = "sha-224"
	HashSHA256 = "sha-256"
	HashSHA384 = "sha-384"
	HashSHA512 = "sha-512"
	HashMD5    = "md5"
)

// ErrUnknownHash is returned for a hash attribute this package cannot
// compute.
var ErrUnknownHash = errors.New("caps: unknown hash function")

// ErrInvalid is returned (wrapped) for disco#info that XEP-0115 §5.4
// says to reject: two identities with the same category, type, lang and
// name, two features with the same var, or two extended forms with the
// same FORM_TYPE.
var ErrInvalid = errors.New("caps: disco#info breaks XEP-0115 §5.4")

func newHash(name string) (hash.Hash, error) {
	switch name {
	case HashSHA1:
		return sha1.New(), nil
	case HashSHA224:
		return sha256.New224(), nil
	case HashSHA256:
		return sha256.New(), nil
	case HashSHA384:
		return sha512.New384(), nil
	case HashSHA512:
		return sha512.New(), nil
	case HashMD5:
		return md5.New(), nil
	}
	return nil, ErrUnknownHash
}

// Ver returns the verification string of info hashed with hashName (for
// example HashSHA1) per XEP-0115 §5.1: identities sorted by category, type,
// xml:lang and name as "category/type/lang/name<"; features sorted, each
// followed by "<"; then the extended forms (XEP-0128) sorted by FORM_TYPE,
// each as its FORM_TYPE followed by its other fields sorted by var, each
// var followed by its sorted values, every item followed by "<"; the hash
// of those UTF-8 bytes in base64. Forms without a hidden FORM_TYPE are left
// out (§5.4). Info that breaks the rules of §5.4 gives ErrInvalid.
func Ver(info *disco.Info, hashName string) (string, error) {
	h, err := newHash(hashName)
	if err != nil {
		return "", err
	}
	s, err := verString(info)
	if err != nil {
		return "", err
	}
	h.Write([]byte(s))
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), nil
}

// verString builds the string S of XEP-0115 §5.1 steps 1-8.
func verString(info *disco.Info) (string, error) {
	var b strings.Builder
	ids := slices.Clone(info.Identities)
	slices.SortFunc(ids, func(a, b xmpp.Identity) int {
		return cmp.Or(strings.Compare(a.Category, b.Category), strings.Compare(a.Type, b.Type),
			strings.Compare(a.Lang, b.Lang), strings.Compare(a.Name, b.Name))
	})
	for i, id := range ids {
		if i > 0 && id == ids[i-1] {
			return "", errors.Join(ErrInvalid, errors.New("caps: repeated identity "+id.Category+"/"+id.Type))
		}
		b.WriteString(id.Category + "/" + id.Type + "/" + id.Lang + "/" + id.Name + "<")
	}
	feats := slices.Clone(info.Features)
	slices.Sort(feats)
	for i, f := range feats {
		if i > 0 && f == feats[i-1] {
			return "", errors.Join(ErrInvalid, errors.New("caps: repeated feature "+f))
		}
		b.WriteString(f + "<")
	}
	type typed struct {
		ft string
		f  *form.Form
	}
	var forms []typed
	for _, f := range info.Forms {
		if ft := formType(f); ft != "" {
			forms = append(forms, typed{ft, f})
		}
	}
	slices.SortFunc(forms, func(a, b typed) int { return strings.Compare(a.ft, b.ft) })
	for i, tf := range forms {
		if i > 0 && tf.ft == forms[i-1].ft {
			return "", errors.Join(ErrInvalid, errors.New("caps: repeated FORM_TYPE "+tf.ft))
		}
		b.WriteString(tf.ft + "<")
		fields := slices.Clone(tf.f.Fields)
		slices.SortStableFunc(fields, func(a, b form.Field) int { return strings.Compare(a.Var, b.Var) })
		for _, fd := range fields {
			if fd.Var == form.VarFormType {
				continue
			}
			b.WriteString(fd.Var + "<")
			vals := slices.Clone(fd.Values)
			slices.Sort(vals)
			for _, v := range vals {
				b.WriteString(v + "<")
			}
		}
	}
	return b.String(), nil
}

// formType returns the FORM_TYPE that counts for the ver: the single
// value of a hidden FORM_TYPE field (XEP-0115 §5.4), or "".
func formType(f *form.Form) string {
	fd := f.Field(form.VarFormType)
	if fd == nil || fd.Type != form.Hidden || len(fd.Values) != 1 {
		return ""
	}
	return fd.Values[0]
}
