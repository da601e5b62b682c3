package xmlstream

import (
	"testing"
	"unsafe"
)

// TestBlockSizes checks that each block fills its allocation size class:
// objects over 512 bytes that hold pointers carry an 8-byte header, so one
// byte more would cost a whole larger class.
func TestBlockSizes(t *testing.T) {
	const header = 8
	for _, tc := range []struct {
		name       string
		size, want uintptr
	}{
		{"block1", unsafe.Sizeof(block1{}), 512},
		{"block2", unsafe.Sizeof(block2{}) + header, 640},
		{"block3", unsafe.Sizeof(block3{}) + header, 768},
		{"block4", unsafe.Sizeof(block4{}) + header, 1024},
		{"block6", unsafe.Sizeof(block6{}) + header, 1536},
	} {
		if tc.size != tc.want {
			t.Errorf("%s: %d bytes, want %d", tc.name, tc.size, tc.want)
		}
	}
}
