package io.orch.responder.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decision behind the Windows state folder's access list, over entries built here. The
 * principals are this machine's real accounts (root and daemon from the default file system's
 * lookup service) standing in for SYSTEM, Administrators and BUILTIN\Users: the code compares
 * principals, never names, so which OS they come from does not matter. Setting the list on NTFS
 * ({@link WindowsStateAcl#secure}) needs Windows and is not run here.
 */
class WindowsStateAclTest {
    private static UserPrincipal system;
    private static UserPrincipal administrators;
    private static UserPrincipal users;

    @BeforeAll
    static void principals() throws Exception {
        UserPrincipalLookupService lookup = FileSystems.getDefault().getUserPrincipalLookupService();
        system = lookup.lookupPrincipalByName("root");
        administrators = lookup.lookupPrincipalByGroupName("root");
        users = lookup.lookupPrincipalByName("daemon");
    }

    private static AclEntry allow(UserPrincipal who, AclEntryPermission... rights) {
        return AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(who)
                .setPermissions(EnumSet.of(rights[0], rights)).build();
    }

    @Test
    void theListSetGivesFullControlToSystemAndAdministratorsInheritedByEverythingInside() {
        List<AclEntry> acl = WindowsStateAcl.protectedAcl(List.of(system, administrators));

        assertEquals(2, acl.size());
        for (AclEntry entry : acl) {
            assertEquals(AclEntryType.ALLOW, entry.type());
            assertEquals(EnumSet.allOf(AclEntryPermission.class), entry.permissions());
            assertEquals(Set.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT), entry.flags());
        }
        assertEquals(List.of(system, administrators), acl.stream().map(AclEntry::principal).toList());
        assertEquals(Set.of(), WindowsStateAcl.otherWriters(acl, Set.of(system, administrators)));
    }

    @Test
    void aFileGetsTheSameAccountsWithNothingToInherit() {
        List<AclEntry> acl = WindowsStateAcl.protectedFileAcl(List.of(system, administrators));

        assertEquals(List.of(system, administrators), acl.stream().map(AclEntry::principal).toList());
        acl.forEach(entry -> assertEquals(Set.of(), entry.flags()));
        acl.forEach(entry -> assertEquals(EnumSet.allOf(AclEntryPermission.class), entry.permissions()));
    }

    @Test
    void whatProgramDataHandsANewFolderLetsUsersWriteAndIsRefused() {
        // C:\ProgramData's inheritable entry for BUILTIN\Users: (CI)(WD,AD,WEA,WA), plus read and execute
        List<AclEntry> inherited = new ArrayList<>(WindowsStateAcl.protectedAcl(List.of(system, administrators)));
        inherited.add(allow(users, AclEntryPermission.READ_DATA, AclEntryPermission.EXECUTE,
                AclEntryPermission.SYNCHRONIZE));
        inherited.add(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(users)
                .setPermissions(AclEntryPermission.WRITE_DATA, AclEntryPermission.APPEND_DATA,
                        AclEntryPermission.WRITE_NAMED_ATTRS, AclEntryPermission.WRITE_ATTRIBUTES)
                .setFlags(AclEntryFlag.DIRECTORY_INHERIT).build());

        assertEquals(Set.of(users.getName()), WindowsStateAcl.otherWriters(inherited, Set.of(system, administrators)));
    }

    @Test
    void everyRightThatChangesTheFolderOrWhoMayCounts() {
        for (AclEntryPermission right : WindowsStateAcl.WRITE_RIGHTS) {
            assertEquals(Set.of(users.getName()),
                    WindowsStateAcl.otherWriters(List.of(allow(users, right)), Set.of(system)), right.name());
        }
        assertTrue(WindowsStateAcl.WRITE_RIGHTS.containsAll(Set.of(AclEntryPermission.WRITE_ACL,
                AclEntryPermission.WRITE_OWNER, AclEntryPermission.DELETE_CHILD)));
    }

    @Test
    void readingIsNotWritingAndDenyEntriesGrantNothing() {
        List<AclEntry> acl = List.of(
                allow(users, AclEntryPermission.READ_DATA, AclEntryPermission.READ_ACL, AclEntryPermission.SYNCHRONIZE),
                AclEntry.newBuilder().setType(AclEntryType.DENY).setPrincipal(users)
                        .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build());

        assertEquals(Set.of(), WindowsStateAcl.otherWriters(acl, Set.of(system, administrators)));
    }

    @Test
    void anInheritOnlyEntryCountsForWhatFilesCreatedInsideWouldAllow() {
        AclEntry forNewFiles = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(users)
                .setPermissions(AclEntryPermission.WRITE_DATA)
                .setFlags(AclEntryFlag.FILE_INHERIT, AclEntryFlag.INHERIT_ONLY).build();

        assertEquals(Set.of(users.getName()), WindowsStateAcl.otherWriters(List.of(forNewFiles), Set.of(system)));
    }

    @Test
    void theFixIsTheIcaclsCommandThatSetsTheSameList() {
        assertEquals("icacls \"C:\\ProgramData\\orch\" /inheritance:r /grant:r SYSTEM:(OI)(CI)F "
                + "Administrators:(OI)(CI)F && icacls \"C:\\ProgramData\\orch\" /setowner Administrators /T",
                WindowsStateAcl.fix(java.nio.file.Path.of("C:\\ProgramData\\orch")));
    }
}
