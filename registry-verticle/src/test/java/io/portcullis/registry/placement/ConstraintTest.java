package io.portcullis.registry.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConstraintTest {

  /** "k=v;k2=v2" to a label map; blank means no labels. */
  static Map<String, String> labels(String spec) {
    Map<String, String> labels = new HashMap<>();
    if (spec == null || spec.isBlank()) {
      return labels;
    }
    for (String pair : spec.split(";")) {
      String[] kv = pair.split("=", 2);
      labels.put(kv[0], kv[1]);
    }
    return labels;
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      node.labels.disk==ssd            | disk          | true  | ssd
      node.labels.disk!=ssd            | disk          | false | ssd
      disk==ssd                        | disk          | true  | ssd
      disk!=hdd                        | disk          | false | hdd
      '  node.labels.disk  ==  ssd  '  | disk          | true  | ssd
      ' disk != hdd '                  | disk          | false | hdd
      node.hostname==h1                | node.hostname | true  | h1
      node.hostname!=h1                | node.hostname | false | h1
      node.name==h1                    | node.hostname | true  | h1
      node==h1                         | node.hostname | true  | h1
      NODE.HostName==h1                | node.hostname | true  | h1
      NODE.LABELS.Disk==SSD            | Disk          | true  | SSD
      node.labels.zone==eu-*           | zone          | true  | eu-*
      zone!=*-west                     | zone          | false | *-west
      com.example.tier==gold           | com.example.tier | true | gold
      example.com/disk==ssd            | example.com/disk | true | ssd
      rack==row 1                      | rack          | true  | row 1
      node.labels.node.name==x         | node.name     | true  | x
      version==1.2.3+build:7@x_y       | version       | true  | 1.2.3+build:7@x_y
      """)
  void parse_acceptsSwarmStyleExpressions(String expr, String label, boolean equal, String value) {
    assertThat(Constraint.parse(expr)).isEqualTo(new Constraint(label, equal, value));
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {
      "", "   ", "disk", "disk=ssd", "disk = ssd", "disk===ssd", "disk==", "disk==   ", "==ssd", " != ssd",
      "disk!==ssd", "disk==ssd==hdd", "disk==a!=b", "disk=~ssd", "disk~=ssd", "disk==ss<d", "disk=='ssd'",
      "disk==ssd;rm", "my disk==ssd", "node.labels.==ssd", "node.labels.node.hostname==h1",
      "node.role==manager", "node.id==abc", "node.platform.os==linux", "engine.labels.os==linux",
      "-disk==ssd", "di\tsk==ssd", "disk==s\u0000d"})
  void parse_refusesInvalidExpressions_namingThem(String expr) {
    assertThatThrownBy(() -> Constraint.parse(expr))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + expr + "'");
  }

  @Test
  void parse_ofNull_isRefused() {
    assertThatThrownBy(() -> Constraint.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("null");
  }

  @Test
  void parse_ofAnUnsupportedNodeAttribute_saysWhatIsSupported() {
    assertThatThrownBy(() -> Constraint.parse("node.role==manager"))
        .hasMessage("invalid placement constraint 'node.role==manager': node.role is not supported; "
            + "use node.labels.KEY, node.hostname or node.name");
  }

  @Test
  void constructor_refusesBlankParts() {
    assertThatThrownBy(() -> new Constraint(" ", true, "ssd")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Constraint("disk", true, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Constraint(null, true, "ssd")).isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest(name = "{0} on {1} [{2}] -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      disk==ssd              | h1      | disk=ssd            | true
      disk==ssd              | h1      | disk=hdd            | false
      disk==ssd              | h1      |                     | false
      disk!=ssd              | h1      | disk=ssd            | false
      disk!=ssd              | h1      | disk=hdd            | true
      disk!=ssd              | h1      |                     | true
      disk==SSD              | h1      | disk=ssd            | true
      disk==ssd              | h1      | disk=SSD            | true
      Disk==ssd              | h1      | disk=ssd            | false
      disk==*                | h1      | disk=anything       | true
      disk==*                | h1      |                     | false
      disk!=*                | h1      |                     | true
      disk!=*                | h1      | disk=ssd            | false
      zone==eu-*             | h1      | zone=eu-west-1      | true
      zone==eu-*             | h1      | zone=us-east-1      | false
      zone==*-1              | h1      | zone=eu-west-1      | true
      zone==eu*1             | h1      | zone=eu-west-1      | true
      zone!=eu-*             | h1      | zone=us-east-1      | true
      node.hostname==h1      | h1      | disk=ssd            | true
      node.hostname==H1      | h1      |                     | true
      node.hostname==h1      | h10     |                     | false
      node.hostname==h1*     | h10     |                     | true
      node.hostname!=h1      | h2      |                     | true
      node.hostname!=h1      | h1      |                     | false
      node.labels.node.name==x | h1    | node.name=x         | true
      """)
  void matches_followsSwarmSemantics(String expr, String hostName, String hostLabels, boolean expected) {
    HostLoad host = new HostLoad(hostName, labels(hostLabels), true, 0, 0);

    assertThat(Constraint.parse(expr).matches(host)).isEqualTo(expected);
  }

  @Test
  void labelNamedLikeAHostNameAttribute_isMatchedAsALabelNotAsTheName() {
    HostLoad host = new HostLoad("h1", Map.of("node.name", "other"), true, 0, 0);

    assertThat(Constraint.parse("node.labels.node.name==other").matches(host)).isTrue();
    assertThat(Constraint.parse("node.name==other").matches(host)).isFalse();
  }

  @ParameterizedTest(name = "''{0}'' ~ ''{1}'' -> {2}")
  @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
      ssd      | ssd        | true
      ssd      | ssdx       | false
      ssd      | xssd       | false
      *        | ''         | true
      *        | abc        | true
      **       | abc        | true
      a*       | a          | true
      a*       | abc        | true
      a*       | bac        | false
      *c       | abc        | true
      *c       | abcd       | false
      a*c      | ac         | true
      a*c      | abbbc      | true
      a*c      | abcb       | false
      a*b*c    | aXbYbZc    | true
      a*b*c    | aXcYb      | false
      *ab*ab*  | xabyabz    | true
      *ab*ab*  | xabz       | false
      ''       | ''         | true
      ''       | a          | false
      """)
  void glob_matchesStarsAsAnyRun(String pattern, String text, boolean expected) {
    assertThat(Constraint.glob(pattern, text)).isEqualTo(expected);
  }

  @Test
  void glob_onALongTextWithManyStars_finishes() {
    String text = "a".repeat(5000) + "b";

    assertThat(Constraint.glob("*a*a*a*a*a*c", text)).isFalse();
    assertThat(Constraint.glob("*a*a*a*a*a*b", text)).isTrue();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      disk==ssd                | node.labels.disk==ssd
      ' node.labels.disk != ssd ' | node.labels.disk!=ssd
      node.name==h1            | node.hostname==h1
      node==h1                 | node.hostname==h1
      zone==eu-*               | node.labels.zone==eu-*
      """)
  void expression_isCanonicalAndParsesBackToTheSameConstraint(String expr, String canonical) {
    Constraint parsed = Constraint.parse(expr);

    assertThat(parsed.expression()).isEqualTo(canonical);
    assertThat(Constraint.parse(parsed.expression())).isEqualTo(parsed);
  }
}
