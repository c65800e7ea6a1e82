using System;

namespace MdaiClara.Engine.Imaging.Dicom;

/// <summary>A DICOM value representation, kept as its two-letter code.</summary>
public readonly record struct DicomVR(char First, char Second)
{
    public static readonly DicomVR AE = new('A', 'E');
    public static readonly DicomVR AS = new('A', 'S');
    public static readonly DicomVR AT = new('A', 'T');
    public static readonly DicomVR CS = new('C', 'S');
    public static readonly DicomVR DA = new('D', 'A');
    public static readonly DicomVR DS = new('D', 'S');
    public static readonly DicomVR DT = new('D', 'T');
    public static readonly DicomVR FD = new('F', 'D');
    public static readonly DicomVR FL = new('F', 'L');
    public static readonly DicomVR IS = new('I', 'S');
    public static readonly DicomVR LO = new('L', 'O');
    public static readonly DicomVR LT = new('L', 'T');
    public static readonly DicomVR OB = new('O', 'B');
    public static readonly DicomVR OD = new('O', 'D');
    public static readonly DicomVR OF = new('O', 'F');
    public static readonly DicomVR OL = new('O', 'L');
    public static readonly DicomVR OV = new('O', 'V');
    public static readonly DicomVR OW = new('O', 'W');
    public static readonly DicomVR PN = new('P', 'N');
    public static readonly DicomVR SH = new('S', 'H');
    public static readonly DicomVR SL = new('S', 'L');
    public static readonly DicomVR SQ = new('S', 'Q');
    public static readonly DicomVR SS = new('S', 'S');
    public static readonly DicomVR ST = new('S', 'T');
    public static readonly DicomVR SV = new('S', 'V');
    public static readonly DicomVR TM = new('T', 'M');
    public static readonly DicomVR UC = new('U', 'C');
    public static readonly DicomVR UI = new('U', 'I');
    public static readonly DicomVR UL = new('U', 'L');
    public static readonly DicomVR UN = new('U', 'N');
    public static readonly DicomVR UR = new('U', 'R');
    public static readonly DicomVR US = new('U', 'S');
    public static readonly DicomVR UT = new('U', 'T');
    public static readonly DicomVR UV = new('U', 'V');

    private const string Known = "AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV";
    private const string LongLength = "OB OD OF OL OV OW SQ SV UC UN UR UT UV";
    private const string Text = "AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT";

    // Parsing asks these for every element: answer from 26×26 tables rather than string searches.
    private static readonly bool[] KnownTable = Table(Known);
    private static readonly bool[] LongLengthTable = Table(LongLength);
    private static readonly bool[] TextTable = Table(Text);

    /// <summary>True for the VRs of PS3.5 Table 7.1-1.</summary>
    public bool IsKnown => Lookup(KnownTable);

    /// <summary>Explicit VR encoding uses 2 reserved bytes and a 32-bit length for these.</summary>
    public bool HasLongLength => Lookup(LongLengthTable);

    /// <summary>Text VRs whose values are padded with spaces (UI with NUL) and split on backslash.</summary>
    public bool IsString => Lookup(TextTable);

    private bool Lookup(bool[] table) =>
        First is >= 'A' and <= 'Z' && Second is >= 'A' and <= 'Z' && table[((First - 'A') * 26) + (Second - 'A')];

    private static bool[] Table(string codes)
    {
        var table = new bool[26 * 26];
        foreach (var code in codes.Split(' '))
        {
            table[((code[0] - 'A') * 26) + (code[1] - 'A')] = true;
        }

        return table;
    }

    public static DicomVR FromBytes(byte a, byte b) => new((char)a, (char)b);

    public override string ToString() => new(new[] { First, Second });
}
